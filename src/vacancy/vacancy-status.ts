export const VACANCY_STATUSES = ['draft', 'open', 'filled', 'cancelled'] as const;
export type VacancyStatus = (typeof VACANCY_STATUSES)[number];

export const SENIORITIES = ['junior', 'mid', 'senior', 'lead', 'principal'] as const;
export type Seniority = (typeof SENIORITIES)[number];

export const isClosed = (status: VacancyStatus) => status === 'filled' || status === 'cancelled';

/** class-transformer @Transform functions shared by the DTOs: surrounding spaces never count. */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

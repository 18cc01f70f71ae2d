/**
 * What a stored candidate becomes from an import row. Fields left out keep
 * what is stored: the nullable ones by coalescing with EXCLUDED. Tags, time
 * zone and locale are NOT NULL, which PostgreSQL checks before it looks for a
 * conflict, so the insert carries defaults for them and EXCLUDED cannot tell
 * "not given" from a default; $5 says which of them (and whether skills)
 * each row gave ({ "<email as given>": ["tags", "skills", ...] }).
 */
const MERGED: [column: string, value: string][] = [
  ['full_name', 'EXCLUDED.full_name'],
  ['phone', 'coalesce(EXCLUDED.phone, candidate.phone)'],
  ['city', 'coalesce(EXCLUDED.city, candidate.city)'],
  ['country', 'coalesce(EXCLUDED.country, candidate.country)'],
  ['headline', 'coalesce(EXCLUDED.headline, candidate.headline)'],
  ['profile_url', 'coalesce(EXCLUDED.profile_url, candidate.profile_url)'],
  ['source', 'coalesce(EXCLUDED.source, candidate.source)'],
  ['tags', `CASE WHEN ($5::jsonb -> EXCLUDED.email) ? 'tags' THEN EXCLUDED.tags ELSE candidate.tags END`],
  ['time_zone', `CASE WHEN ($5::jsonb -> EXCLUDED.email) ? 'time_zone' THEN EXCLUDED.time_zone ELSE candidate.time_zone END`],
  ['locale', `CASE WHEN ($5::jsonb -> EXCLUDED.email) ? 'locale' THEN EXCLUDED.locale ELSE candidate.locale END`],
];

/**
 * Skills given that differ from the stored ones. The row's skill keys are the
 * ones the skill-keys trigger would derive from them (skillKeysOf), so equal
 * keys mean equal skills and levels.
 */
const SKILLS_CHANGE = `(($5::jsonb -> EXCLUDED.email) ? 'skills' AND candidate.skill_keys IS DISTINCT FROM EXCLUDED.skill_keys)`;

/**
 * One statement per batch, so an updated candidate gets one new row version,
 * not two. A row that would change nothing leaves the stored candidate as it
 * is, "last updated" included (search recency, updatedSince and the match
 * score's profile signal read it), and is not returned: the caller counts it
 * as unchanged. The stored email keeps its spelling: it is what matched.
 */
export const IMPORT_UPSERT = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
      ord int, full_name text, email text, phone text, city text, country text, time_zone text,
      locale text, headline text, profile_url text, tags text[], source text, skill_keys int[])
  ), upserted AS (
    -- A new candidate gets its skill keys now, so the skill-keys trigger has nothing to rewrite; a stored
    -- one keeps its keys here and the trigger updates them if its skills change.
    INSERT INTO candidate (full_name, email, phone, city, country, time_zone, locale, headline,
                           profile_url, tags, source, status, created_at, updated_at, skill_keys)
    SELECT full_name, email, phone, city, country, coalesce(time_zone, $2), coalesce(locale, $3), headline,
           profile_url, coalesce(tags, '{}'), source, 'active', $4, $4, coalesce(skill_keys, '{}')
    FROM input ORDER BY lower(email)
    ON CONFLICT (lower(email)) DO UPDATE SET
      ${MERGED.map(([column, value]) => `${column} = ${value}`).join(',\n      ')},
      updated_at = EXCLUDED.updated_at
    WHERE (${MERGED.map(([column]) => `candidate.${column}`).join(', ')})
          IS DISTINCT FROM (${MERGED.map(([, value]) => value).join(', ')})
       OR ${SKILLS_CHANGE}
    RETURNING id, lower(email) AS key, (xmax = 0) AS inserted
  )
  SELECT u.id, u.inserted, i.ord FROM upserted u JOIN input i ON lower(i.email) = u.key`;

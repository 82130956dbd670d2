-- The columns public reports group by, copied from each record's content like the other query columns (`log verify`
-- checks they agree with it): the day it occurred as the clerk wrote it (the date in its own UTC offset, the day its
-- scenario was decided for), the request and basis, who asked, what staff did and what the rules said. Records stored
-- before this migration get them from their content; a retention tombstone keeps only its day.
ALTER TABLE contact_records ADD COLUMN occurred_on date;
ALTER TABLE contact_records ADD COLUMN request text;
ALTER TABLE contact_records ADD COLUMN basis text;
ALTER TABLE contact_records ADD COLUMN agent text;
ALTER TABLE contact_records ADD COLUMN action text;
ALTER TABLE contact_records ADD COLUMN outcome text;
UPDATE contact_records SET
  occurred_on = substr(content::jsonb #>> '{record,occurred_at}', 1, 10)::date,
  request = content::jsonb #>> '{record,scenario,request}',
  basis = content::jsonb #>> '{record,scenario,basis}',
  agent = content::jsonb #>> '{record,agent}',
  action = content::jsonb #>> '{record,action}',
  outcome = content::jsonb #>> '{record,decision,outcome}'
WHERE tombstoned_at IS NULL;
UPDATE contact_records SET occurred_on = (occurred_at AT TIME ZONE 'UTC')::date WHERE occurred_on IS NULL;
ALTER TABLE contact_records ALTER COLUMN occurred_on SET NOT NULL;
CREATE INDEX contact_records_report ON contact_records (occurred_on, jurisdiction);

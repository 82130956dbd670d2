-- Public reports read counts, not records: the number of records of each jurisdiction by quarter and combination
-- (request, basis, agent, action, outcome, deviation), and by month in all, kept by the append transaction under the
-- head's lock (so they always describe exactly the records of the head in the same snapshot) and by retention, which
-- moves a record from `records` to `deleted`. Only quarters have cells because only quarterly reports publish them
-- (docs/reports.md: a second family of sums over the same records would cross the first). Derived data: rebuilt here
-- from the records as committed so far, and again at any time by `rebuildReportCounts` (src/store/reportCounts.ts).
CREATE TABLE report_cells (
  quarter      date NOT NULL,  -- the first day of the quarter of occurred_on
  jurisdiction text NOT NULL,
  request      text,
  basis        text,
  agent        text,
  action       text,
  outcome      text,
  deviation    boolean,
  records      bigint NOT NULL CHECK (records >= 0)  -- records not deleted by retention
);
CREATE UNIQUE INDEX report_cells_key ON report_cells (quarter, jurisdiction, request, basis, agent, action, outcome, deviation) NULLS NOT DISTINCT;

CREATE TABLE report_months (
  month        date NOT NULL,  -- the first day of the month of occurred_on
  jurisdiction text NOT NULL,
  records      bigint NOT NULL CHECK (records >= 0),  -- records not deleted by retention
  deleted      bigint NOT NULL CHECK (deleted >= 0),  -- records whose content retention deleted
  PRIMARY KEY (month, jurisdiction)
);

INSERT INTO report_cells (quarter, jurisdiction, request, basis, agent, action, outcome, deviation, records)
  SELECT date_trunc('quarter', occurred_on::timestamp)::date, jurisdiction, request, basis, agent, action, outcome, deviation, count(*)
  FROM contact_records WHERE tombstoned_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO report_months (month, jurisdiction, records, deleted)
  SELECT date_trunc('month', occurred_on::timestamp)::date, jurisdiction, count(*) FILTER (WHERE tombstoned_at IS NULL), count(*) FILTER (WHERE tombstoned_at IS NOT NULL)
  FROM contact_records GROUP BY 1, 2;

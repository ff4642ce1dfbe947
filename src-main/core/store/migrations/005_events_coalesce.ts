// Repeated identical failures become one journal row with a count (a client retrying a malformed
// request 3,000 times left 2,615 rows). `ts` stays the first occurrence; `last_ts` is the latest
// (NULL while count is 1). The partial index finds the row to add to: same type, an error, recent.
export default /* sql */ `
ALTER TABLE events ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN last_ts INTEGER;
CREATE INDEX events_errors ON events (type, ts) WHERE outcome = 'error';
`;

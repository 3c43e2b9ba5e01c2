-- Tables the pipeline writes to, created before the first write so that QuestDB deduplicates
-- redelivered points: the same node, channel and source timestamp replace, never add, a row.
CREATE TABLE IF NOT EXISTS reading (
    site SYMBOL,
    node SYMBOL,
    channel SYMBOL,
    unit SYMBOL,
    value DOUBLE,
    raw LONG,
    quality VARCHAR,
    reason VARCHAR,
    seq LONG,
    historical BOOLEAN,
    timestamp TIMESTAMP
) TIMESTAMP(timestamp) PARTITION BY DAY WAL
DEDUP UPSERT KEYS(timestamp, site, node, channel);

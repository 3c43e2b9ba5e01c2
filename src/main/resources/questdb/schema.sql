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

-- Alarm events: every server replica that evaluates an alarm writes its events, the same point each time
-- (source time, an id derived from the alarm), so that the table keeps one row per event.
CREATE TABLE IF NOT EXISTS alarm (
    site SYMBOL,
    node SYMBOL,
    channel SYMBOL,
    level SYMBOL,
    event VARCHAR,
    id LONG,
    threshold DOUBLE,
    unit VARCHAR,
    value DOUBLE,
    timestamp TIMESTAMP
) TIMESTAMP(timestamp) PARTITION BY DAY WAL
DEDUP UPSERT KEYS(timestamp, site, node, channel, level);

-- Node status changes: every replica reads them and writes the same point (the node's own timestamp).
CREATE TABLE IF NOT EXISTS node_status (
    site SYMBOL,
    node SYMBOL,
    state VARCHAR,
    online BOOLEAN,
    timestamp TIMESTAMP
) TIMESTAMP(timestamp) PARTITION BY DAY WAL
DEDUP UPSERT KEYS(timestamp, site, node);

-- The audit trail (docs/audit.md): every state change and every action of a person or client system, appended to one
-- hash chain. entry_hash = SHA-256 over the canonical encoding of the entry's fields and the previous entry's hash,
-- so changing, removing or inserting an entry breaks the chain. Rows are never updated or deleted by the gateway.
create table audit_entry (
    seq          bigint                   primary key,
    occurred_at  timestamp with time zone not null,
    node         varchar(100)             not null,
    actor_kind   varchar(20)              not null,
    actor_id     varchar(200)             not null,
    action       varchar(60)              not null,
    -- space-separated "kind:id" tokens, e.g. "message:0190… delivery:0190…"
    subjects     varchar(1000)            not null,
    -- a small JSON object, hashed exactly as stored
    detail       varchar(4000)            not null,
    previous     varchar(64)              not null,
    entry_hash   varchar(64)              not null
);
create index audit_entry_time on audit_entry (occurred_at);

-- The one row every append locks (select ... for update): it serialises appends of all nodes on one database, so the
-- chain stays linear and its sequence has no gaps. seq 0 / 64 zeros is the start of the chain. sealed_seq is the last
-- entry that needs no further checkpoint: the entry that records the latest checkpoint.
create table audit_head (
    id              int                      primary key,
    seq             bigint                   not null,
    entry_hash      varchar(64)              not null,
    sealed_seq      bigint                   not null,
    sealed_at       timestamp with time zone
);
insert into audit_head (id, seq, entry_hash, sealed_seq)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

-- Checkpoints: "up to seq N the chain's head hash is H", signed with the gateway's evidence key (an enveloped XML
-- signature in document). Without a key store a checkpoint is kept unsigned (document null), marked as such.
create table audit_checkpoint (
    seq          bigint                   primary key,
    entry_hash   varchar(64)              not null,
    created_at   timestamp with time zone not null,
    node         varchar(100)             not null,
    document     bytea
);

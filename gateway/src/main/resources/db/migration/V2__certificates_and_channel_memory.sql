-- Partners' encryption certificates learned from their verified signed messages (docs/crypto.md, "Certificates of
-- partners": the learning rule). Configured certificates always take precedence over learned ones.
create table partner_certificate (
    address      varchar(400)             not null,
    fingerprint  varchar(64)              not null,
    chain_pem    varchar(65535)           not null,
    not_after    timestamp with time zone not null,
    first_seen   timestamp with time zone not null,
    last_seen    timestamp with time zone not null,
    primary key (address, fingerprint)
);

-- Small records adapters remember across nodes and restarts (what was signed, to check a receipt days later).
create table channel_memory (
    channel     varchar(40)              not null,
    mem_key     varchar(400)             not null,
    mem_value   bytea                    not null,
    expires_at  timestamp with time zone not null,
    primary key (channel, mem_key)
);
create index channel_memory_expiry on channel_memory (expires_at);

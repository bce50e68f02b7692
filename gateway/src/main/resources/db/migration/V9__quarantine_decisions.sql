-- Operators' decisions on quarantined items (the console's quarantine area, docs/console/quarantine.md).
--
-- status: OPEN until an operator decides; RELEASED when a new check by the channel passed and the item was filed
-- (inbox_ids, or applied as a receipt or proof: decision_reason says which); REJECTED when an operator decided it is
-- not to be accepted (decision_reason is theirs). Nothing is deleted by a decision: the raw content stays.
-- origin: CHANNEL for an item a channel handed in as received (it can be checked again by the channel); GATEWAY for
-- what the gateway itself could not accept (a receipt no delivery claimed, a message for no participant), whose raw
-- content is not the item as the channel received it.
-- delivered_to: the addresses the transport delivered the item to (SMTP envelope, mailbox), one per line, handed
-- back to the channel on a recheck.
-- sender, subject: read from the raw item's header block for display only (untrusted, shortened, never parsed as HTML).
alter table quarantine add column status varchar(10) default 'OPEN' not null;
alter table quarantine add constraint quarantine_status_known check (status in ('OPEN', 'RELEASED', 'REJECTED'));
alter table quarantine add column origin varchar(10) default 'CHANNEL' not null;
alter table quarantine add column delivered_to varchar(4000);
alter table quarantine add column sender varchar(400);
alter table quarantine add column subject varchar(400);
alter table quarantine add column last_received_at timestamp with time zone;
alter table quarantine add column decided_at timestamp with time zone;
alter table quarantine add column decided_by varchar(200);
alter table quarantine add column decision_reason varchar(2000);
alter table quarantine add column inbox_ids varchar(4000);
alter table quarantine add column recheck_attempts int default 0 not null;
alter table quarantine add column last_recheck_at timestamp with time zone;
alter table quarantine add column last_recheck_reason varchar(2000);
create index quarantine_status on quarantine (status, received_at);

-- what the gateway put into quarantine itself before this migration
update quarantine set origin = 'GATEWAY'
where transport_id like 'receipt:%' or reason like 'addressed to %, which is no participant served by this gateway';

-- What happened to a quarantined item, in order: received, received again (with its own raw content when that
-- differed), a recheck that failed again, released, rejected. actor is the person (console) or the node.
create table quarantine_event (
    quarantine_id  varchar(36)              not null references quarantine (id),
    seq            int                      not null,
    occurred_at    timestamp with time zone not null,
    kind           varchar(20)              not null,
    actor          varchar(200)             not null,
    reason         varchar(2000),
    content_id     varchar(36)              references content (id),
    primary key (quarantine_id, seq)
);

insert into quarantine_event (quarantine_id, seq, occurred_at, kind, actor, reason)
select id, 1, received_at, 'RECEIVED', 'gateway', reason from quarantine;

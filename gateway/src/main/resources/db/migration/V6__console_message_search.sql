-- The console's message tracking (docs/console/messages.md).

-- An operator's retry of a delivery that ended FAILED or EXPIRED opens a new delivery to the same recipient: the ended
-- one stays ended (states only move forward) and keeps its closed evidence chain. retry_of names the ended delivery;
-- unique, so an ended delivery is sent again at most once (a retry that fails can itself be retried).
alter table delivery add column retry_of varchar(36);
alter table delivery add constraint delivery_retry_of foreign key (retry_of) references delivery (id);
create unique index delivery_retry on delivery (retry_of);

-- Search by sender, newest first (keyset paging on accepted_at, id).
create index message_sender on message (sender, accepted_at);

-- The dashboard's "failed per hour": deliveries that ended FAILED, by the time of their last change.
create index delivery_state_time on delivery (state, updated_at);

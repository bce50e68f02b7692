-- Certificate management in the console and the API (docs/console/certificates.md).

-- Partner certificates imported by a security officer win over learned ones for their address.
alter table partner_certificate add column source varchar(16) default 'LEARNED' not null;
alter table partner_certificate add column imported_by varchar(200);

-- The subject a key's certificate request is made for (given when the key was generated in the console), so that
-- the request can be made again from the vault at any time; nothing private is kept here.
create table key_request (
    key_id        varchar(128)             not null primary key,
    organisation  varchar(200)             not null,
    common_name   varchar(200),
    emails        varchar(2000)            not null,
    created_at    timestamp with time zone not null
);

-- The last on-demand revocation check of each certificate (own keys' and partners'), by SHA-256 fingerprint.
create table certificate_check (
    fingerprint   varchar(64)              not null primary key,
    outcome       varchar(16)              not null,
    reason        varchar(40),
    detail        varchar(2000)            not null,
    revoked_at    timestamp with time zone,
    source        varchar(1000),
    checked_at    timestamp with time zone not null,
    checked_by    varchar(200)             not null
);

-- Which certificate was last alerted about, with which status and on which day (UTC): at most one alert per
-- certificate and status a day, whichever node sends it.
create table certificate_alert (
    fingerprint   varchar(64)              not null primary key,
    status        varchar(16)              not null,
    alerted_on    date                     not null
);

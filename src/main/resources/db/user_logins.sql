-- The analysts' table, exactly as the assignment gives it. Created only when absent: an existing table
-- (app_version integer or varchar) is used as it is.
CREATE TABLE IF NOT EXISTS user_logins(
    user_id varchar(128), device_type varchar(32), masked_ip varchar(256), masked_device_id varchar(256),
    locale varchar(32), app_version integer, create_date date);

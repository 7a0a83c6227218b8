#!/bin/sh
# Runs once, when the data directory is first created: one database and one user per service.
set -eu
create() {
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v name="$1" -v password="$2" <<'SQL'
CREATE USER :"name" WITH PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
}
create auth "$AUTH_DB_PASSWORD"
create product "$PRODUCT_DB_PASSWORD"
create orders "$ORDER_DB_PASSWORD"

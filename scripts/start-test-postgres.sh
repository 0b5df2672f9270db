#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster and makes the role and database the vault's API suite uses
# (TEST_DATABASE_URL=postgres://cardvault:cardvault@127.0.0.1:5432/cardvault_test). Idempotent.
set -euo pipefail
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pg_createcluster "$ver" main >/dev/null
  cluster="$ver main"
fi
# shellcheck disable=SC2086
pg_ctlcluster $cluster start 2>/dev/null || true
for _ in $(seq 1 30); do
  if su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -qAtc \"select 1 from pg_roles where rolname='cardvault'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"create role cardvault login password 'cardvault'\""
# The bench makes a fresh database per PostgreSQL run (bench/lib/vault.mjs), so the role may create one.
su postgres -c "psql -qc 'alter role cardvault createdb'" >/dev/null
su postgres -c "psql -qAtc \"select 1 from pg_database where datname='cardvault_test'\"" | grep -q 1 ||
  su postgres -c "psql -qc 'create database cardvault_test owner cardvault'"
echo "postgres ready: $cluster"

#!/usr/bin/env bash
# Start the machine's PostgreSQL and Redis when they are down; fail when they stay unreachable.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  echo "PostgreSQL is down; starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
fi
if ! redis_up; then
  echo "Redis is down; starting it"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi

for _ in $(seq 1 30); do
  if pg_up && redis_up; then
    echo "PostgreSQL and Redis are up"
    exit 0
  fi
  sleep 1
done
echo "PostgreSQL or Redis is unreachable on 127.0.0.1" >&2
exit 1

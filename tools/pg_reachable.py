"""Exit 0 if the PostgreSQL server behind URL accepts a connection, else print why and exit 1."""

import sys
from urllib.parse import urlsplit

import psycopg


def main(url: str) -> int:
    parts = urlsplit(url)
    try:
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            connect_timeout=3,
        ):
            return 0
    except psycopg.Error as error:
        print(f"cannot connect to {parts.hostname}:{parts.port or 5432}: {error}".strip())
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

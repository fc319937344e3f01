"""Plain reads share one connection inside `one_connection`, and only with the same engine."""

from __future__ import annotations

from pathlib import Path

from kompas.store.base import connection
from kompas.store.base import make_engine
from kompas.store.base import one_connection
from kompas.store.base import using


def test_reads_in_a_block_share_its_connection_and_no_other(tmp_path: Path) -> None:
    first = make_engine(f"sqlite:///{tmp_path / 'first.sqlite3'}")
    second = make_engine(f"sqlite:///{tmp_path / 'second.sqlite3'}")
    try:
        with using(first):
            with one_connection() as shared:
                with connection() as a, connection() as b:
                    assert a is shared and b is shared
                with one_connection() as nested:  # an inner block keeps the outer connection
                    assert nested is shared
                with using(second), connection() as other:  # another database: its own
                    assert other is not shared and other.engine is second
            with connection() as alone:  # after the block each read has its own again
                assert alone is not shared and alone.engine is first
    finally:
        first.dispose()
        second.dispose()

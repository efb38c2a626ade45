from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADER = "event_id,date,actor1,actor2,event_code,description,source,fatalities,weight,notes"


@pytest.fixture
def write_events(tmp_path):
    """Write an events CSV from data lines (header added) and return its path."""

    def write(*rows: str, name: str = "events.csv", header: str = HEADER) -> Path:
        path = tmp_path / name
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    return write

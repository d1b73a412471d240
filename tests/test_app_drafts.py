"""Working drafts' keys come from one function; the parent is stored beside the key."""

from __future__ import annotations

import re

from workbench.app.drafts import new_draft_key


def test_a_draft_key_is_fresh_each_time_and_names_its_parent() -> None:
    keys = {new_draft_key(7) for _ in range(200)}
    assert len(keys) == 200
    assert all(re.fullmatch(r"draft:7:[0-9a-f]{8}", k) for k in keys)
    assert re.fullmatch(r"draft:0:[0-9a-f]{8}", new_draft_key(None))

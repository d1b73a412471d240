"""``sla-workbench schema``: print the JSON Schema of a contract file."""

from __future__ import annotations

import argparse
import json

from models.contract import contract_json_schema


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("schema", help="print the JSON Schema of contract files")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(json.dumps(contract_json_schema(), indent=2, ensure_ascii=False))
    return 0

"""The golden transition table: every workflow's (kind, state, action -> state, sides, roles),
rendered from the code and compared with the committed ``tests/golden/transitions.txt``.

Any change of the state machine changes that file, so it shows in review as a diff of rows.
After a deliberate change, write the new table with
``READMIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden -q`` and commit it with the change.
"""

from __future__ import annotations

import os
from pathlib import Path

from readmit.cases.workflow import WORKFLOWS, Workflow

GOLDEN = Path(__file__).with_name("transitions.txt")


def _flags(workflow: Workflow, action: str) -> str:
    transition = workflow.get(action)
    flags = [
        name
        for name, on in (
            ("transfer-related", transition.transfer_related),
            ("needs-reason", transition.needs_reason),
            (f"hold:{transition.hold}", bool(transition.hold)),
        )
        if on
    ]
    return " [" + ", ".join(flags) + "]" if flags else ""


def render() -> str:
    """One line per (kind, source state, action): the state it leads to and who may take it."""
    lines = [
        "# kind | state | action -> state | sides | roles [flags]",
        "# Generated from readmit/cases/workflow.py by tests/golden/test_transition_table.py.",
    ]
    for kind in sorted(WORKFLOWS):
        workflow = WORKFLOWS[kind]
        lines.append(
            f"## {kind}: initial {workflow.initial}; final {', '.join(sorted(workflow.final))}"
        )
        for state in workflow.states:
            for transition in workflow.transitions:
                if state not in transition.sources:
                    continue
                sides = ", ".join(sorted(transition.sides)) or "system only"
                roles = ", ".join(sorted(transition.roles)) or "system only"
                lines.append(
                    f"{kind} | {state} | {transition.action} -> {transition.next_state(state)}"
                    f" | {sides} | {roles}{_flags(workflow, transition.action)}"
                )
    return "\n".join(lines) + "\n"


def test_the_transition_table_in_the_code_matches_the_committed_golden_table():
    rendered = render()
    if os.environ.get("READMIT_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert rendered == GOLDEN.read_text(encoding="utf-8"), (
        "The state machine changed: review the diff, then regenerate tests/golden/transitions.txt "
        "with READMIT_UPDATE_GOLDEN=1 and commit it with the change."
    )


def test_every_state_of_every_workflow_appears_in_the_golden_table_or_is_final():
    rows = GOLDEN.read_text(encoding="utf-8").splitlines()
    for kind, workflow in WORKFLOWS.items():
        listed = {row.split(" | ")[1] for row in rows if row.startswith(f"{kind} | ")}
        assert set(workflow.states) - listed <= set(workflow.final), kind

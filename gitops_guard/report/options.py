from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

from gitops_guard.catalog import RuleDoc, core_rule
from gitops_guard.model import Finding


def use_color(choice: str, to_file: bool) -> bool:
    """--color auto|always|never: auto colours only a terminal, and never with NO_COLOR."""
    if choice != "auto":
        return choice == "always"
    return not to_file and sys.stdout.isatty() and "NO_COLOR" not in os.environ


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    kubernetes_version: str = ""
    tool_version: str = ""
    rule_docs: Mapping[str, RuleDoc] = field(default_factory=dict)  # policy rules' docs
    link_base: str = ""  # e.g. https://github.com/o/r/blob/<sha>/ for file:line links

    def rule_doc(self, finding: Finding) -> RuleDoc:
        """Docs for a finding's rule: loaded policies, then the core table, then the finding."""
        doc = self.rule_docs.get(finding.rule_id) or core_rule(finding.rule_id)
        if doc is not None:
            return doc
        return RuleDoc(finding.rule_id, finding.severity, finding.rule_id,
                       doc_url=finding.doc_url)

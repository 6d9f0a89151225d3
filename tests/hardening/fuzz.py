"""Hypothesis settings and input strategies shared by the hardening property tests.

Default runs keep the whole suite well under a minute on 2 cores. The long run the
hardening issue asks for (10,000 generated inputs per loader) is opt-in:

    GITOPS_GUARD_FUZZ_EXAMPLES=10000 .venv/bin/pytest tests/hardening -k fuzz -p no:cacheprovider
"""
from __future__ import annotations

import codecs
import json
import os
from datetime import timedelta
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG_RUN = int(os.environ.get("GITOPS_GUARD_FUZZ_EXAMPLES", "0"))

# Applied per test (not as a global profile) so other suites keep their own settings.
FUZZ = settings(
    max_examples=LONG_RUN or 60,
    # A loader taking over a second on a few kilobytes is the bug hunted here; a long
    # run on a busy shared machine gets more slack so it reports crashes, not jitter.
    deadline=timedelta(seconds=5 if LONG_RUN else 1),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
    database=None,  # failing inputs are kept as files under tests/data/hostile/regressions
)
# Renderers and the splitter are cheap; they do not need the long run.
FAST = settings(max_examples=80, deadline=timedelta(seconds=2), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text that trips parsers: YAML indicators, tabs, BOMs, NULs, control and odd line breaks.
NASTY_CHARS = st.sampled_from([
    "\t", "\x00", "\ufeff", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x1b", "\x7f",
    "&a ", "*a", "<<: *a", "? ", ": ", "- ", "---\n", "...\n", "{", "}", "[", "]", ",",
    "'", '"', "#", "%YAML 1.1\n", "!!binary ", "!!python/object/apply:os.system ",
    "!<tag:yaml.org,2002:str> ", "|\n", ">-\n", "\\", "\\u0000", "\ud7ff", "\U0001f600",
    "=", "${", "<<EOT\n", "EOT\n", "/*", "*/", "//",
])
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text(max_size=40) | st.sampled_from(
               ["yes", "off", "0x1F", "1e400", "2001-12-14t21:59:43.10-05:00", "~", "-.inf",
                "0o17", "1_000", "<<", "=", "apiVersion", "kind", "List"]))
KEYS = st.text(max_size=12) | st.sampled_from(
    ["apiVersion", "kind", "metadata", "name", "items", "spec", "<<", "format_version",
     "terraform_version", "resource_changes", "planned_values"])


def values(max_leaves: int = 40) -> st.SearchStrategy[Any]:
    """JSON/YAML-shaped values, recursive, including Kubernetes- and plan-shaped ones."""
    return st.recursive(
        SCALARS,
        lambda children: st.lists(children, max_size=6)
        | st.dictionaries(KEYS, children, max_size=6),
        max_leaves=max_leaves,
    )


@st.composite
def kube_like(draw: st.DrawFn) -> Any:
    """Objects the loaders treat specially: resources, `*List` kinds, Terraform plans."""
    body = draw(st.dictionaries(KEYS, values(10), max_size=4))
    shape = draw(st.sampled_from(["resource", "list", "plan", "plain"]))
    if shape == "resource":
        body.update(apiVersion=draw(st.sampled_from(["v1", "apps/v1", 1])),
                    kind=draw(st.sampled_from(["ConfigMap", "Deployment", None])))
    elif shape == "list":
        body.update(apiVersion="v1", kind="List",
                    items=draw(st.lists(values(8) | kube_like(), max_size=4)))
    elif shape == "plan":
        body.update(format_version="1.2", terraform_version="1.9.0",
                    resource_changes=draw(st.lists(values(8), max_size=3)))
    return body


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with nasty fragments inserted, lines duplicated (duplicate keys) or cut."""
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["insert", "dup-line", "cut", "indent"]))
        pos = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:pos] + draw(NASTY_CHARS) + text[pos:]
        elif op == "dup-line":
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif op == "cut":
            text = text[:pos] + text[pos + draw(st.integers(1, 8)):]
        else:
            text = text[:pos] + draw(st.sampled_from(["  ", "\t", " " * 40])) + text[pos:]
    return text


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    """Valid-ish YAML: shared sub-trees (PyYAML emits &anchors and *aliases for them),
    several documents, block and flow styles; then mutated."""
    pool = draw(st.lists(values(12) | kube_like(), min_size=1, max_size=4))
    # Reusing the same objects is what makes the dumper write anchors and aliases.
    docs = [draw(st.sampled_from(pool)) if draw(st.booleans()) else
            {draw(KEYS): draw(st.sampled_from(pool)) for _ in range(draw(st.integers(0, 4)))}
            for _ in range(draw(st.integers(1, 3)))]
    text = yaml.safe_dump_all(
        docs, default_flow_style=draw(st.sampled_from([False, True, None])),
        allow_unicode=draw(st.booleans()), width=draw(st.sampled_from([20, 80, 10_000])),
        explicit_start=draw(st.booleans()))
    return draw(mutated(text))


@st.composite
def alias_bombs(draw: st.DrawFn) -> str:
    """Billion-laughs shapes of random width and depth, in value and in key position."""
    width, depth = draw(st.integers(2, 12)), draw(st.integers(1, 9))
    lines = ["l0: &l0 [" + ",".join(["lol"] * width) + "]"]
    for level in range(1, depth + 1):
        lines.append(f"l{level}: &l{level} [" + ",".join([f"*l{level - 1}"] * width) + "]")
    top = f"*l{depth}"
    tail = draw(st.sampled_from([
        f"bomb: {top}\n", f"? {top}\n: 1\n", f"<<: [{top}]\n", f"{{{top}: 1}}: x\n",
        "".join(f"? [{top}, {i}]\n: {i}\n" for i in range(draw(st.integers(1, 50)))),
    ]))
    return draw(mutated("\n".join(lines) + "\n" + tail))


@st.composite
def terraform_plans(draw: st.DrawFn) -> dict[str, Any]:
    """`terraform show -json` shapes: resource changes with actions and sensitive values."""
    change = st.fixed_dictionaries({
        "address": st.text(max_size=20), "type": st.text(max_size=10),
        "change": st.fixed_dictionaries({
            "actions": st.lists(st.sampled_from(["create", "delete", "update", "no-op"]),
                                max_size=2),
            "before": values(8), "after": values(8), "after_sensitive": values(4)}),
    })
    plan: dict[str, Any] = draw(st.dictionaries(KEYS, values(6), max_size=3))
    plan.update(format_version="1.2", terraform_version=draw(st.text(max_size=8)),
                resource_changes=draw(st.lists(change, max_size=3)))
    return plan


def json_texts() -> st.SearchStrategy[str]:
    def dump(value: Any) -> str:
        return json.dumps(value, allow_nan=True)
    return (values() | kube_like()).map(dump).flatmap(mutated)


HCL_SNIPPETS = st.sampled_from([
    'resource "aws_s3_bucket" "logs" {\n  bucket = "x"\n  acl = "private"\n}\n',
    'variable "v" {\n  default = {a = [1, 2, {b = "c"}]}\n}\n',
    'locals {\n  x = "${var.a}-${each.key}"\n  y = <<EOT\nhello\nEOT\n}\n',
    'module "m" {\n  source = "./m"\n  count = 3\n'
    '  ingress { port = 1 }\n  ingress { port = 2 }\n}\n',
    'a = 1\na = 2\n', 'x = [for k, v in var.m : v if k != ""]\n', 'region = "eu-west-1"\n',
    'data "aws_iam_policy_document" "p" {\n  statement {\n    actions = ["s3:*"]\n  }\n}\n',
])


@st.composite
def hcl_texts(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(HCL_SNIPPETS, min_size=0, max_size=4))
    extra = draw(st.lists(st.builds(lambda k, v: f"{k} = {json.dumps(v)}\n",
                                    st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True),
                                    values(6)), max_size=3))
    return draw(mutated("".join(blocks + extra)))


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """`text` as bytes the way editors and tools write them, BOMs included."""
    how = draw(st.sampled_from(["utf-8", "utf-8-bom", "utf-16", "utf-16-le", "utf-16-be",
                                "latin-1"]))
    if how == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    return text.encode(how, "surrogatepass")


def nested(depth: int, flow: bool) -> str:
    """A document nested `depth` levels deep, in flow or block style."""
    if flow:
        return "[" * depth + "]" * depth
    return "".join(" " * i + "k:\n" for i in range(depth))

"""What each core rule id means: the docs behind `policies show`, SARIF rules[] and help text.

Policy rules (built-in and user) carry their own docs; this table covers the load (GG0xx),
render (GG1xx) and schema (GG2xx) families, whose findings come from the pipeline itself.
"""
from __future__ import annotations

from typing import NamedTuple

from gitops_guard.model import Severity


class RuleDoc(NamedTuple):
    id: str
    severity: Severity
    title: str
    why: str = ""
    fix: str = ""
    doc_url: str = ""


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CORE_RULES: dict[str, RuleDoc] = {doc.id: doc for doc in (
    RuleDoc("GG001", _E, "Invalid YAML or JSON",
            "A file that does not parse cannot be applied; nothing in it was checked.",
            "Fix the syntax at the reported line and column."),
    RuleDoc("GG002", _E, "Duplicate mapping key",
            "Kubernetes silently keeps the last value, so the first one is lost without a word.",
            "Remove or merge the duplicate key."),
    RuleDoc("GG003", _E, "Unreadable file",
            "A manifest must be UTF-8 text; a binary or mis-encoded file cannot be applied.",
            "Re-save the file as UTF-8, or exclude it in .gitops-guard.yaml."),
    RuleDoc("GG004", _E, "Parser limit exceeded",
            "Huge files, alias bombs and deep nesting exhaust memory in every tool that "
            "reads them, the API server included.",
            "Split the file, remove the alias expansion, or raise load_limits in the config."),
    RuleDoc("GG005", _E, "Document is not a Kubernetes object",
            "A YAML list of resources or a bare scalar is not something kubectl can apply.",
            "Separate resources with `---` or wrap them in `kind: List`; fix the indentation."),
    RuleDoc("GG006", _E, "apiVersion or kind missing",
            "An object needs both apiVersion and kind to be applied or validated.",
            "Add the missing field."),
    RuleDoc("GG040", _E, "Policy raised an exception",
            "A Python policy raised or overran on a resource, or a Rego rule crashed or "
            "overran the embedded engine, so its results are incomplete.",
            "Fix the policy at the file and line named in the message."),
    RuleDoc("GG042", _W, "Rego rule evaluation error",
            "The embedded engine raised a runtime error (indexing a non-collection, a "
            "builtin's type error) where OPA leaves the expression undefined; the rule yields "
            "nothing for that input.",
            "Guard the expression (`is_object(x)`), or check the policy with --rego-engine opa."),
    RuleDoc("GG041", _E, "Unknown Rego severity word",
            "A METADATA custom.severity that config rego_severities does not map; the rule "
            "keeps conftest's severity (deny fails, warn warns).",
            "Add the word to rego_severities, or fix it in the policy."),
    RuleDoc("GG050", _W, "Unused suppression",
            "A suppression that hides nothing hides the next real finding by surprise.",
            "Remove the comment, annotation or config entry."),
    RuleDoc("GG051", _W, "Expired suppression",
            "Its `until` date has passed, so the findings it hid are reported again.",
            "Fix the findings, or extend `until` with a new reason."),
    RuleDoc("GG052", _W, "Suppression without a reason",
            "A suppression must say why; one without a reason suppresses nothing.",
            "Write the reason after the rule id: `# gitops-guard: ignore GG301 why`."),
    RuleDoc("GG053", _W, "Suppression refused",
            "The config's `suppressions:` policy (inline off, no wildcards, rules that may "
            "never be suppressed) refuses this suppression, so it hides nothing.",
            "Fix what the finding reports, or ask the config's owners for an `ignore:` entry."),
    RuleDoc("GG101", _E, "Kustomize build failed",
            "An environment that does not build cannot be deployed; nothing in it was checked.",
            "Fix the kustomization at the reported file; the message carries kustomize's error."),
    RuleDoc("GG102", _E, "Helm template error",
            "The chart does not render, so the controller cannot apply it.",
            "Fix the template at the reported file and line."),
    RuleDoc("GG103", _E, "Helm chart dependency missing",
            "A dependency declared in Chart.yaml is not vendored in charts/; the chart does not "
            "render offline. Info when it comes from a chart repository (Argo CD and Flux "
            "fetch it at sync); an error when nothing can build it (no repository, or a "
            "file:// path that is not there).",
            "Run `helm dependency build` and commit charts/, or remove the dependency."),
    RuleDoc("GG104", _I, "Source skipped",
            "A remote source (another repo, a Helm repository, OCI) is not rendered offline.",
            "Nothing to fix; vendor the source into this repo to have it checked."),
    RuleDoc("GG105", _E, "Referenced file or object not found",
            "A path, ConfigMap or values file a GitOps object names is absent from the repo; the "
            "controller will fail to reconcile.",
            "Add the missing file or fix the reference."),
    RuleDoc("GG106", _E, "Render recursion limit",
            "GitOps objects that point at each other in a cycle (or nest too deeply) never "
            "settle.",
            "Break the cycle between the objects named in the message."),
    RuleDoc("GG107", _E, "Render timed out",
            "kustomize or helm ran longer than timeouts.render_seconds.",
            "Find what makes the render slow, or raise timeouts.render_seconds."),
    RuleDoc("GG108", _W, "Helm chart calls lookup",
            "`lookup` reads the live cluster; offline it returns nothing, so what is checked "
            "may differ from what is deployed.",
            "Make the chart work without lookup, or accept the difference."),
    RuleDoc("GG110", _W, "Remote chart could not be fetched",
            "A run allowed to fetch could not get the chart a HelmRelease or Application "
            "names (unreachable, no matching version, digest not the index's, unsafe "
            "archive); it is not rendered, so nothing inside it is checked.",
            "Fix the repository URL or version, check the network and credentials (Helm's "
            "repositories.yaml / `helm registry login`), then `gitops-guard charts pull`."),
    RuleDoc("GG120", _E, "Path outside the repository",
            "A path named by repository content (a Flux or Argo CD path, a values file, a "
            "chart or a symlink in one) resolves outside the repository; on a CI runner that "
            "is another checkout or the runner's secrets, so it is not read.",
            "Name a path inside the repository (or set the environment's load_restrictor: "
            "none on purpose)."),
    RuleDoc("GG121", _E, "Render stopped at its limits",
            "kustomize or helm used more memory (limits.render_memory_mb) or CPU than allowed "
            "while rendering content of the change, and was stopped; nothing of it is checked.",
            "Find what makes the render expand (a loop in a template, a huge generator), or "
            "raise limits.render_memory_mb."),
    RuleDoc("GG122", _E, "Kustomize input expands too far",
            "A YAML file kustomize would read aliases so much (an anchor repeated many "
            "times) that kustomize's output would exceed load_limits.max_expanded_bytes or "
            "max_expanded_nodes; kustomize is not run, nothing of it is checked.",
            "Remove the alias expansion (write the value once), or split the file."),
    RuleDoc("GG201", _E, "Value does not match the schema",
            "The API server rejects the object on apply.",
            "Use the type and value the schema expects (quote strings such as `on`, `yes`)."),
    RuleDoc("GG202", _E, "Unknown field",
            "Unknown fields are dropped or rejected by the API server: usually a typo that "
            "silently disables what you meant to set.",
            "Fix the field name, or run with --no-strict to allow unknown fields."),
    RuleDoc("GG203", _E, "Required field missing",
            "The API server rejects the object on apply.",
            "Add the required field."),
    RuleDoc("GG210", _W, "No schema for kind",
            "A resource without a schema is not validated at all.",
            "Add the CRD to the inputs, pass --schema-location, or vendor schemas with "
            "`gitops-guard schemas import`."),
    RuleDoc("GG211", _E, "Unusable schema or CRD",
            "A CRD or JSON Schema that cannot be compiled validates nothing.",
            "Fix the schema at the reported line."),
    RuleDoc("GG220", _E, "Custom schema violation",
            "The file breaks the JSON Schema the config maps to it.",
            "Change the value to match the schema named in the message."),
    RuleDoc("GG230", _E, "Invalid object name",
            "The API server refuses a metadata.name, generateName or namespace (or a container "
            "or volume name) that breaks its kind's format: DNS-1123 subdomain or label, "
            "DNS-1035 label for Services.",
            "Use lower-case letters, digits and '-' ('.' in subdomains), starting and ending "
            "with a letter or digit."),
    RuleDoc("GG231", _E, "Invalid label, annotation, selector or data key",
            "Label keys and values, annotation keys, selector requirements and ConfigMap or "
            "Secret keys have formats the API server enforces; total annotations are capped at "
            "256 KiB.",
            "Fix the key or value as the message says (63 characters, alphanumerics, '-', "
            "'_', '.')."),
    RuleDoc("GG232", _E, "Invalid resource quantity",
            "A quantity such as `1.5.5Gi`, `abc` or `-1`, or a request above its limit, "
            "is refused when the object is created.",
            "Write a Kubernetes quantity (`500m`, `1.5Gi`, `2`) and keep requests <= limits."),
    RuleDoc("GG233", _E, "Value outside what the API server accepts",
            "A closed value set (pull policy, restart policy, Service type, protocol) or a "
            "range (ports 1-65535, replicas >= 0, percentages) the OpenAPI leaves open.",
            "Use one of the values the message lists, or a value in range."),
    RuleDoc("GG234", _E, "Duplicate entry in a keyed list",
            "Container names (init containers included), volumes, Service ports, container "
            "port names, mount paths, and CRD lists of x-kubernetes-list-type set or map must "
            "be unique. A duplicated env var is a warning, as the API server warns.",
            "Rename or remove the duplicate entry."),
    RuleDoc("GG235", _E, "Inconsistent fields inside an object",
            "A volumeMount of an undefined volume, a probe or hook with no or two handlers, a "
            "volume with two sources, a workload selector that does not select its template's "
            "labels.",
            "Make the fields agree: define the volume, keep one handler, align the labels."),
    RuleDoc("GG236", _E, "CRD validation rule failed",
            "A CustomResourceDefinition's x-kubernetes-validations CEL rule is false for this "
            "resource; the API server refuses it with the rule's message.",
            "Change the resource so the rule holds; the message is the CRD author's."),
    RuleDoc("GG237", _I, "Validation rule not evaluated offline",
            "A CEL rule needs what is not at hand before merge (oldSelf on create, a function "
            "outside the offline CEL environment) or does not compile; it is counted, not "
            "guessed.",
            "Nothing to fix in the resource; the message says why the rule was skipped."),
    RuleDoc("GG238", _E, "Denied by a ValidatingAdmissionPolicy in the repository",
            "A ValidatingAdmissionPolicy and its binding found among the inputs match this "
            "resource and one of its validations is false: the cluster would deny it.",
            "Change the resource to satisfy the policy named in the message."),
    RuleDoc("GG239", _E, "Value does not match the schema's format",
            "A CRD schema `format` (date-time, date, uuid, byte, ipv4, ...) the API server "
            "checks and JSON Schema tools treat as a note.",
            "Write the value in that format."),
)}


def core_rule(rule_id: str) -> RuleDoc | None:
    return CORE_RULES.get(rule_id)

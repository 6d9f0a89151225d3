from gitops_guard.evaluate.api import Violation, rule


@rule(id="BAD001", severity="error", title="Deployments need a namespace",
      kinds=("Deployment",))
def namespace(resource, ctx):
    if not resource.get("metadata", {}).get("namespace"):
        yield Violation("no namespace", ("metadata",))

from gitops_guard.evaluate.api import Violation, rule


@rule(id="ACME001", severity="error", title="No privileged containers",
      kinds=("Deployment", "Pod"))
def privileged(resource, ctx):
    for path, container in ctx.containers(resource):
        if (container.get("securityContext") or {}).get("privileged"):
            yield Violation("container runs privileged", (*path, "securityContext", "privileged"))

from gitops_guard.evaluate.api import Violation, rule


@rule(id="ACME002", severity="warning", title="Too few replicas", kinds=("Deployment",))
def replicas(resource, ctx):
    minimum = ctx.option("min_replicas", 2)
    if resource.get("spec", {}).get("replicas", 1) < minimum:
        yield Violation(f"fewer than {minimum} replicas", ("spec", "replicas"))

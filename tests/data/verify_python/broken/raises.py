from gitops_guard.evaluate.api import rule


@rule(id="BRK001", severity="error", title="Raises", kinds=("Deployment",))
def raises(resource, ctx):
    return resource["spec"]["missing"]

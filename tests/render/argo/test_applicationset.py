"""ApplicationSets expanded as the ApplicationSet controller does: the generated
Applications compared object by object, then what each of them renders (the generators
one by one: generators/)."""
from __future__ import annotations

from tests.plan.helpers import GitRepo
from tests.render.argo.helpers import apps, appset, render, template


def test_what_cannot_be_expanded_is_gg104(fleet: GitRepo) -> None:
    result = render(fleet, [
        appset([{"scmProvider": {"github": {"organization": "example"}}}],
               template("x", "apps/shop", "x")),
        {**appset([{"list": {"elements": [{"env": "a"}]}}],
                  template("{{ .nope }}", "apps/shop", "x"), go=True),
         "metadata": {"name": "strict", "namespace": "argocd"}},
        {**appset([{"git": {"repoURL": "https://github.com/other/repo",
                            "directories": [{"path": "*"}]}}],
                  template("y", "apps/shop", "y")),
         "metadata": {"name": "remote", "namespace": "argocd"}},
    ])
    assert result.skipped == [
        "ApplicationSet set: scmProvider generator lists repositories through an SCM "
        "provider's API: not available offline",
        "ApplicationSet strict: template: map has no entry for key 'nope'",
        "ApplicationSet remote: git generator reads https://github.com/other/repo, not this "
        "repository"]
    assert apps(result) == {}


def test_template_patch_and_elements_yaml(fleet: GitRepo) -> None:
    gen = {"list": {"elements": [{"app": "shop", "auto": True}],
                    "elementsYaml": "- {app: legacy, auto: false}\n"}}
    tmpl = template("{{ .app }}", "apps/{{ .app }}", "{{ .app }}")
    tmpl["spec"]["destination"]["server"] = "https://kubernetes.default.svc"
    patch = ("{{ if .auto }}\nspec:\n  syncPolicy:\n    automated: {prune: true}\n{{ end }}\n"
             "metadata:\n  finalizers: []\n")
    got = apps(render(fleet, [appset([gen], tmpl, go=True, templatePatch=patch,
                                    syncPolicy={"preserveResourcesOnDeletion": True})]))
    assert set(got) == {"shop", "legacy"}
    assert got["shop"]["spec"]["syncPolicy"] == {"automated": {"prune": True}}
    assert "syncPolicy" not in got["legacy"]["spec"]
    assert got["shop"]["metadata"]["finalizers"] == []  # preserveResourcesOnDeletion

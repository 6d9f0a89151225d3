"""validate/builtin.py: the offline schema stage, as `check` runs it."""
from __future__ import annotations

from tests.conftest import RunCli
from tests.evaluate.conftest import Repo

SOPS_SECRET = """
    apiVersion: v1
    kind: Secret
    metadata:
      name: app-secret
    stringData:
      config.yaml: ENC[AES256_GCM,data:VJzovSNAfXLQ,iv:2F34WzzR=,tag:29B/XKCn==,type:str]
    sops:
      age:
        - recipient: age1uk0y2ahfavgsgqvrtg5a22w5gytpdmjuatxtcw6kntmxhlcgreesuwzw5s
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBPNXNzQnlPS2RrNHIvVGZq
            -----END AGE ENCRYPTED FILE-----
      lastmodified: "2024-10-08T19:15:36Z"
      mac: ENC[AES256_GCM,data:V5M5oDru,iv:iwPVzQ3d=,tag:P0pQCTE7==,type:str]
      encrypted_regex: ^(data|stringData)$
      version: 3.8.1
    """


def test_a_sops_encrypted_secret_is_judged_without_its_metadata(
        repo: Repo, run_cli: RunCli) -> None:
    """bjw-s/home-ops: four `*.sops.yaml` Secrets failed with GG202 'unknown field "sops"';
    kustomize-controller removes that key when it decrypts."""
    repo.write("apps/secret.sops.yaml", SOPS_SECRET)
    result = run_cli("check", "--no-builtin", "apps")
    assert result.code == 0, result.out
    assert result.out == "1 file, 1 resource, 0 errors, 0 warnings\n"


def test_other_unknown_fields_of_an_encrypted_secret_still_fail(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("apps/secret.sops.yaml", SOPS_SECRET.replace("stringData:", "stringDatta:"))
    result = run_cli("check", "--no-builtin", "apps")
    assert result.code == 1
    assert 'apps/secret.sops.yaml:5:1: error   GG202  unknown field "stringDatta"' in result.out


def test_a_top_level_sops_key_that_is_not_sops_metadata_is_an_unknown_field(
        repo: Repo, run_cli: RunCli) -> None:
    repo.write("apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
                               "sops: enabled\n")
    result = run_cli("check", "--no-builtin", "apps")
    assert 'GG202  unknown field "sops"' in result.out

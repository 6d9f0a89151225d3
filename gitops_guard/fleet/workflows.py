"""The CI files of a sharded run (docs/fleet.md explains them; `init --shards N` writes
the GitHub one): shards -> matrix -> merge."""
from __future__ import annotations

GITHUB = """\
# .github/workflows/gitops-guard.yaml: one PR check, sharded across the job matrix
name: gitops-guard
on: pull_request
permissions:
  contents: read
  pull-requests: write      # the sticky plan comment (merge job)
  security-events: write    # SARIF upload to code scanning (merge job)
env:
  GITOPS_GUARD: "gitops-guard @ git+https://github.com/gitops-guard/gitops-guard@%(version)s"
jobs:
  shards:
    runs-on: ubuntu-latest
    outputs:
      matrix: ${{ steps.shards.outputs.matrix }}
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - run: pip install "$GITOPS_GUARD"
      - id: shards
        run: echo "matrix=$(gitops-guard ci shards --max %(shards)d)" >> "$GITHUB_OUTPUT"
  shard:
    needs: shards
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix: ${{ fromJSON(needs.shards.outputs.matrix) }}
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - run: pip install "$GITOPS_GUARD"
      - uses: actions/cache@v4  # charts and renders, shared by shards and runs
        with:
          path: ~/.cache/gitops-guard
          key: gitops-guard-${{ hashFiles('.gitops-guard.yaml') }}-${{ github.sha }}
          restore-keys: gitops-guard-${{ hashFiles('.gitops-guard.yaml') }}-
      - run: gitops-guard ci --shard "${{ matrix.shard }}" --bundle bundle.json
      - uses: actions/upload-artifact@v4
        if: always()   # a failed shard's bundle names its error
        with:
          name: gitops-guard-bundle-${{ strategy.job-index }}
          path: bundle.json
  merge:              # the required status check
    needs: shard
    if: always()
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - run: pip install "$GITOPS_GUARD"
      - uses: actions/download-artifact@v4
        with: {pattern: gitops-guard-bundle-*, path: bundles}
      - run: >-
          gitops-guard ci merge bundles/*/bundle.json
          --comment github --sarif gitops-guard.sarif --junit gitops-guard.xml
        env:
          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with: {sarif_file: gitops-guard.sarif, category: gitops-guard}
"""

GITLAB = """\
# .gitlab-ci.yml: one MR check, sharded with `parallel:` (CI_NODE_INDEX / CI_NODE_TOTAL)
variables:
  GIT_DEPTH: 0
  GITOPS_GUARD: "gitops-guard @ git+https://github.com/gitops-guard/gitops-guard@%(version)s"
gitops-guard:shard:
  image: python:3.12
  parallel: %(shards)d
  rules: [{if: $CI_PIPELINE_SOURCE == "merge_request_event"}]
  script:
    - pip install "$GITOPS_GUARD"
    - gitops-guard ci --bundle "bundle-$CI_NODE_INDEX.json"
  artifacts:
    when: always
    paths: [bundle-*.json]
gitops-guard:merge:
  image: python:3.12
  needs: [gitops-guard:shard]
  when: always
  rules: [{if: $CI_PIPELINE_SOURCE == "merge_request_event"}]
  script:
    - pip install "$GITOPS_GUARD"
    - gitops-guard ci merge bundle-*.json --comment gitlab --junit gitops-guard.xml
  artifacts:
    when: always
    reports: {junit: gitops-guard.xml}
"""


def github_workflow(version: str, shards: int) -> str:
    return GITHUB % {"version": version, "shards": shards}


def gitlab_pipeline(version: str, shards: int) -> str:
    return GITLAB % {"version": version, "shards": shards}

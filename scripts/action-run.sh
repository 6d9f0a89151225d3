#!/usr/bin/env bash
# Builds the `gitops-guard ci` argument list from GG_* environment variables (set by
# action.yml from its inputs) without ever passing them through the shell's parser.
set -euo pipefail
args=(ci --fail-on "${GG_FAIL_ON:-error}")
[[ -n "${GG_BASE:-}" ]] && args+=(--base "$GG_BASE")
[[ -n "${GG_COMMENT:-}" ]] && args+=(--comment "$GG_COMMENT")
[[ -n "${GG_COMMENT_KEY:-}" ]] && args+=(--comment-key "$GG_COMMENT_KEY")
[[ -n "${GG_SARIF:-}" ]] && args+=(--sarif "$GG_SARIF")
[[ -n "${GG_JUNIT:-}" ]] && args+=(--junit "$GG_JUNIT")
[[ -n "${GG_TRUSTED_REF:-}" ]] && args+=(--trusted-ref "$GG_TRUSTED_REF")
exec gitops-guard "${args[@]}"

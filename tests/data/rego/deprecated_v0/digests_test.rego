package digests

pinned := {"spec": {"containers": [{"name": "a", "image": "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}]}}

tagged := {"spec": {"containers": [{"name": "a", "image": "nginx:1.27", "securityContext": {"privileged": true}}]}}

test_pinned_passes {
  count(violation) == 0 with input as pinned
}

test_tagged_fails {
  count(violation) == 1 with input as tagged
}

test_all_and_any {
  all_named with input as tagged
  some_privileged with input as tagged
  not some_privileged with input as pinned
}

test_set_diff {
  missing_ports == {443}
}

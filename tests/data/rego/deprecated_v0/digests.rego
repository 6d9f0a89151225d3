package digests

# v0 syntax with the deprecated builtins older libraries still call.
violation[{"msg": msg}] {
  container := input.spec.containers[_]
  not re_match("@sha256:[a-f0-9]{64}$", container.image)
  msg := sprintf("container %v is not pinned by digest", [container.name])
}

all_named {
  all([named | c := input.spec.containers[_]; named := c.name != ""])
}

some_privileged {
  any([p | c := input.spec.containers[_]; p := object.get(c, ["securityContext", "privileged"], false)])
}

missing_ports[p] {
  p := set_diff({80, 443}, {80})[_]
}

# METADATA
# title: ACME workload rules
# custom:
#   severity: warning
package acme.workloads

# METADATA
# title: Containers must not be privileged
# description: A privileged container has every capability of the host.
# related_resources:
#   - ref: https://example.com/policies/ACME-101
#     description: why
# custom:
#   id: ACME-101
#   severity: error
deny_privileged contains msg if {
	some c in input.spec.template.spec.containers
	c.securityContext.privileged
	msg := sprintf("container %s is privileged", [c.name])
}

# Inherits the package's custom.severity (warning) though it is a deny rule.
deny_no_owner contains "no owner label" if not input.metadata.labels.owner

# METADATA
# custom:
#   id: ACME-300
#   severity: info
warn_annotations contains "no annotations" if not input.metadata.annotations

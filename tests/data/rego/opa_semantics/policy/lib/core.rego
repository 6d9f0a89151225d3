# A helper library written as konstraint writes it (Rego v0).
package lib.core

has_field(obj, field) {
	not object.get(obj, field, "N_DEFINED") == "N_DEFINED"
}

missing_field(obj, field) {
	obj[field] == ""
}

# `affinity:` left empty is null: object.get(null, ...) is undefined in OPA, so
# has_field is undefined and the field counts as missing
missing_field(obj, field) {
	not has_field(obj, field)
}

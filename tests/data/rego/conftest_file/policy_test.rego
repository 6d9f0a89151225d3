package main

test_sops_file_name_from_conftest_data if {
	count(deny) == 1 with input as {"kind": "Secret"}
		with data.conftest.file as {"name": "x.sops.yaml", "dir": "/repo"}
}

test_other_file_name if {
	count(deny) == 0 with input as {"kind": "Secret"}
		with data.conftest.file.name as "x.yaml"
}

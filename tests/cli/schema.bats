#!/usr/bin/env bats
# docs/wakebench.schema.json documents --json's format: real output
# validates against it, and the shapes it fixes (findings a list at every
# level) hold.

load helper

SCHEMA="$BATS_TEST_DIRNAME/../../docs/wakebench.schema.json"

# validate FILE...: each FILE against the schema (Draft 2020-12), with
# Debian's python3-jsonschema (tests/run installs it).
validate() {
	local py
	for py in /usr/bin/python3 python3; do
		if "$py" -c 'import jsonschema' 2>/dev/null; then
			run "$py" - "$SCHEMA" "$@" <<-'EOF'
			import json, sys, jsonschema
			schema = json.load(open(sys.argv[1]))
			jsonschema.Draft202012Validator.check_schema(schema)
			v = jsonschema.Draft202012Validator(schema)
			bad = 0
			for path in sys.argv[2:]:
			    for e in v.iter_errors(json.load(open(path))):
			        print("%s: %s: %s" % (path, "/".join(map(str, e.absolute_path)), e.message))
			        bad += 1
			sys.exit(1 if bad else 0)
			EOF
			return
		fi
	done
	skip "python3-jsonschema is not installed (tests/run installs it)"
}

@test "--json output validates against docs/wakebench.schema.json" {
	# presets (library, source, caveat), connections (rtt), a baseline
	wb -c 4 -d 100ms -n 2 --warmup 20ms -q --preset libuv,nginx --json presets.json
	completed
	wb "${SHORT[@]}" -m pipe,eventfd --json plain.json
	completed
	validate presets.json plain.json
	assert_success
	assert_output ""
}

@test "--json: findings are a list for a configuration and for each trial" {
	wb "${SHORT[@]}" -n 2 -m eventfd --json run.json
	completed
	run python3 - run.json <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["format_version"] == 2, d["format_version"]
	for c in d["configurations"]:
	    assert isinstance(c["findings"], list), c["findings"]
	    for t in c["trials"]:
	        assert isinstance(t["findings"], list), t["findings"]
	EOF
	assert_success
	# the schema refuses the old shape: a trial's findings as a string
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
d["configurations"][0]["trials"][0]["findings"] = "none"
json.dump(d, open(sys.argv[2], "w"))' run.json old.json
	validate old.json
	assert_failure
	assert_output --partial "configurations/0/trials/0/findings"
}

@test "compare still reads a version 1 JSON file" {
	wb "${SHORT[@]}" -n 2 -m eventfd --json new.json
	completed
	sed -e 's/"format_version": 2/"format_version": 1/' \
	    -e 's/"findings": \[\]/"findings": "none"/' new.json >old.json
	wb compare old.json new.json
	assert_success
	assert_output --partial "eventfd poll always all p4"
}

# Each finding of a defa-check JSON report (version 3) whole, as version 1 wrote it:
#   jq -c -f docs/whole-findings.jq report.json
.manifest.path as $path
| .rules as $rules
| .findings[]
| $rules[.rule_id] as $rule
| ($rule.defaults[.status] // {}) as $usual
| ($rule | del(.defaults)) + ($usual | del(.message)) + .
| .missing //= []
| .message //= $usual.message + (if .missing == [] then "" else " Add to the manifest: \(.missing | join(", "))." end)
| .location |= (if . == null then null else {path: $path} + . end)

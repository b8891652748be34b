#!/usr/bin/env bash
# Sends a CSV of customer updates to fecify-gateway as one batch and shows each item's outcome as it arrives.
#   examples/batch-from-csv.sh updates.csv                      # against the demo (http://localhost:8080, demo-key)
#   GATEWAY=https://gw.example.com KEY=... examples/batch-from-csv.sh updates.csv
#   DRY_RUN=true examples/batch-from-csv.sh updates.csv         # check every row with the gateway's rules, send nothing
# The CSV's first line names the columns: id and any updatable fields (first_name, last_name, phone, phone_prefix,
# accepts_marketing, note, customervip_id, payafteruse_status, payafteruse_level). Empty cells are left out; the
# integer fields are sent as JSON integers. Up to 500 rows per batch. Needs curl and jq.
set -euo pipefail
csv=${1:?usage: $0 updates.csv}
GATEWAY=${GATEWAY:-http://localhost:8080}
KEY=${KEY:-demo-key}
DRY_RUN=${DRY_RUN:-false}

# one JSON object per row, from the header's names; integers where the field is an integer
body=$(jq -R -s '
  def integers: ["id", "accepts_marketing", "customervip_id", "payafteruse_status", "payafteruse_level"];
  split("\n") | map(select(length > 0) | split(",")) as $rows
  | ($rows[0] | map(gsub("^\\s+|\\s+$"; ""))) as $names
  | {updates: [$rows[1:][] as $row
      | [range(0; $names | length) as $i
          | select(($row[$i] // "") | length > 0)
          | {($names[$i]): (if (integers | index($names[$i])) then ($row[$i] | tonumber) else $row[$i] end)}]
      | add]}' "$csv")
total=$(jq '.updates | length' <<< "$body")
echo "sending $total updates (dry run: $DRY_RUN)"

curl -sS -N -X POST "$GATEWAY/v1/customers/batch?dry_run=$DRY_RUN" \
  -H "X-API-Key: $KEY" -H 'Content-Type: application/json' --data-binary @- <<< "$body" |
while IFS= read -r line; do
  if jq -e 'has("summary")' <<< "$line" > /dev/null; then
    jq -r '.summary | "done: \(.succeeded) of \(.total) succeeded, \(.failed) failed"' <<< "$line"
  elif jq -e 'has("index")' <<< "$line" > /dev/null; then
    jq -r '"row \(.index + 1) (customer \(.id // "?")): \(.status) \(if .problem then .problem.code + ": " + .problem.detail else (if .dry_run then "would change " + (.changes | keys | join(", ")) else "updated" end) end)"' <<< "$line"
  else
    # refused as a whole: a problem+json object
    jq -r '"refused: \(.status) \(.code): \(.detail)"' <<< "$line" 2>/dev/null || echo "$line"
  fi
done

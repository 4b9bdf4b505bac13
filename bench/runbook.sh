#!/usr/bin/env bash
# The runbook without Preflight: the AWS CLI calls a support engineer makes to check a connection,
# one after another. ENDPOINT points at the sandbox; credentials come from the environment.
set -euo pipefail
aws=(aws --endpoint-url "$ENDPOINT" --output json)
"${aws[@]}" sts get-caller-identity >/dev/null
"${aws[@]}" glue get-databases --max-items 10 >/dev/null
"${aws[@]}" glue get-tables --database-name sales --max-items 25 >/dev/null
"${aws[@]}" glue get-table --database-name sales --name orders >/dev/null
"${aws[@]}" glue get-partitions --database-name sales --table-name orders --max-items 1 >/dev/null
"${aws[@]}" glue get-table-versions --database-name sales --table-name orders --max-items 1 >/dev/null
"${aws[@]}" glue get-user-defined-functions --database-name sales --pattern '*' --max-items 1 >/dev/null
"${aws[@]}" glue search-tables --max-results 1 >/dev/null
"${aws[@]}" athena list-work-groups >/dev/null
"${aws[@]}" athena get-work-group --work-group primary >/dev/null
id=$("${aws[@]}" athena list-query-executions --work-group primary --max-items 1 --query 'QueryExecutionIds[0]' --output text)
"${aws[@]}" athena batch-get-query-execution --query-execution-ids "$id" >/dev/null
"${aws[@]}" athena list-databases --catalog-name AwsDataCatalog >/dev/null
"${aws[@]}" athena list-table-metadata --catalog-name AwsDataCatalog --database-name sales >/dev/null
"${aws[@]}" cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=StartQueryExecution --max-results 1 >/dev/null
"${aws[@]}" s3api get-bucket-location --bucket acme-athena-results >/dev/null
"${aws[@]}" s3api list-objects-v2 --bucket acme-athena-results --prefix primary/ --max-items 1 >/dev/null
echo "runbook marker" > /tmp/preflight-runbook-marker.txt
"${aws[@]}" s3api put-object --bucket acme-athena-results --key primary/runbook-marker.txt --body /tmp/preflight-runbook-marker.txt >/dev/null
"${aws[@]}" s3api get-object --bucket acme-athena-results --key primary/runbook-marker.txt /tmp/preflight-runbook-marker.out >/dev/null
"${aws[@]}" s3api delete-object --bucket acme-athena-results --key primary/runbook-marker.txt >/dev/null
"${aws[@]}" lakeformation get-data-lake-settings >/dev/null

#!/bin/sh
# LocalStack runs this once SQS is ready: the two queues login-etl expects (contract: SQS_QUEUE, SQS_DEAD_LETTER_QUEUE).
# The source queue gets a redrive policy, as recommended for real SQS (RELIABILITY.md, "Hostile input"): a message
# received maxReceiveCount times without being deleted moves to the dead-letter queue. login-etl dead-letters every
# message it can classify itself, and a message failing for a reason nobody classified after message.max-receives (5)
# receives; the policy (10, above it) is the backstop for a message that stops the process itself.
set -e
DLQ_URL=$(awslocal sqs create-queue --queue-name "${SQS_DEAD_LETTER_QUEUE:-login-queue-dlq}" --query QueueUrl --output text)
DLQ_ARN=$(awslocal sqs get-queue-attributes --queue-url "$DLQ_URL" --attribute-names QueueArn --query Attributes.QueueArn --output text)
cat > /tmp/login-queue-attributes.json <<JSON
{"VisibilityTimeout": "60", "RedrivePolicy": "{\"deadLetterTargetArn\":\"$DLQ_ARN\",\"maxReceiveCount\":\"10\"}"}
JSON
awslocal sqs create-queue --queue-name "${SQS_QUEUE:-login-queue}" --attributes file:///tmp/login-queue-attributes.json

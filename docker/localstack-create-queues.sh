#!/bin/sh
# LocalStack runs this once SQS is ready: the two queues login-etl expects (contract: SQS_QUEUE, SQS_DEAD_LETTER_QUEUE).
set -e
awslocal sqs create-queue --queue-name "${SQS_QUEUE:-login-queue}" --attributes VisibilityTimeout=60
awslocal sqs create-queue --queue-name "${SQS_DEAD_LETTER_QUEUE:-login-queue-dlq}"

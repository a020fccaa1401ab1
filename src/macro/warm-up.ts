import type { JsonMap } from "../pushdown";

/**
 * A small template that takes the rewrite through its usual paths: a key and CORS in `Globals`, an API
 * with its own `Auth` and default authorizer, one with an inline body and a mock preflight, routes that inherit the key, opt out of it,
 * answer `OPTIONS` themselves or reach the implicit API, a state machine's route, and error answers
 * that get CORS headers. The handler rewrites it a few times while its module loads (see `warmUp`).
 */
export function warmUpEvent(): { requestId: string; fragment: JsonMap } {
  const route = (Path: string, Method: string, more: JsonMap = {}): JsonMap => ({
    Type: "Api",
    Properties: { Path, Method, RestApiId: { Ref: "Items" }, ...more },
  });
  return {
    requestId: "warm-up",
    fragment: {
      Transform: ["CorsKeyPushdown", "AWS::Serverless-2016-10-31"],
      Globals: {
        Api: {
          Auth: { ApiKeyRequired: true },
          Cors: { AllowOrigin: "'https://example.com'", AllowHeaders: "'x-api-key'" },
          GatewayResponses: { DEFAULT_5XX: { StatusCode: 500 } },
        },
      },
      Resources: {
        Api: {
          Type: "AWS::Serverless::Api",
          Properties: {
            StageName: "prod",
            Auth: { ApiKeyRequired: true, UsagePlan: { CreateUsagePlan: "PER_API" } },
            DefinitionBody: {
              swagger: "2.0",
              info: { title: "warm-up", version: "1" },
              paths: {
                "/body": {
                  get: {
                    security: [{ api_key: [] }],
                    "x-amazon-apigateway-integration": { type: "aws_proxy" },
                  },
                  options: { "x-amazon-apigateway-integration": { type: "mock" } },
                },
              },
            },
            MergeDefinitions: true,
          },
        },
        Items: {
          Type: "AWS::Serverless::Api",
          Properties: {
            StageName: "prod",
            Cors: "'*'",
            Auth: { ApiKeyRequired: true, DefaultAuthorizer: "AWS_IAM" },
          },
        },
        Fn: {
          Type: "AWS::Serverless::Function",
          Properties: {
            Handler: "index.handler",
            Runtime: "nodejs24.x",
            Events: {
              Get: route("/items", "get"),
              Post: route("/items", "post", { Auth: { ApiKeyRequired: false } }),
              Options: route("/items", "options"),
              Put: route("/items/{id}", "put", { Auth: { ApiKeyRequired: true } }),
              Merged: route("/merged", "delete", { RestApiId: "Api" }),
              Implicit: { Type: "Api", Properties: { Path: "/public", Method: "get" } },
              Queue: { Type: "SQS", Properties: { Queue: "arn:aws:sqs:us-east-1:123456789012:q" } },
            },
          },
        },
        Machine: {
          Type: "AWS::Serverless::StateMachine",
          Properties: { Events: { Start: { Type: "Api", Properties: { Path: "/start", Method: "post" } } } },
        },
      },
    },
  };
}

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are CloudFormation Fn::Sub and Step Functions substitutions, not JavaScript templates
// Deterministic generator of large, realistic SAM templates for the benchmark.
//
// The mix follows what a big SAM application tends to hold: many functions with several Api events
// spread over several APIs (most keyed and with Cors, as the macro exists for, some not), a
// Globals.Api with Auth and Cors, one explicit API with an inline Swagger body, state machines with
// Api events, and the plain resources that surround them. Everything the templates reference exists in
// them, so the real SAM translator accepts them as they are.

/** Small seeded PRNG (mulberry32): the same seed always gives the same template. */
export function prng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const RUNTIMES = ["nodejs20.x", "python3.12", "nodejs22.x", "java21"];
const METHODS = ["get", "post", "put", "delete", "patch"];
const NOUNS = ["orders", "customers", "invoices", "products", "carts", "shipments", "reviews", "payments"];
const PLAIN_KINDS = ["table", "queue", "bucket", "role", "topic", "table", "queue", "role"];

/**
 * How many of each kind a template of `resources` resources holds. Shares are chosen so that 500
 * resources come to about 1 MB of compact JSON; the smallest size still has one of everything the macro
 * reads (a keyed API with Cors, the body API, functions and a state machine with Api events).
 */
export function composition(resources) {
  const keyedCors = Math.max(1, Math.round(resources / 100));
  const unkeyed = resources >= 50 ? Math.max(1, Math.round(resources / 250)) : 0;
  const keyedNoCors = resources >= 50 ? 1 : 0;
  const apis = keyedCors + unkeyed + keyedNoCors + 1;
  const functions = Math.max(3, Math.round(resources * 0.4));
  const stateMachines = Math.max(1, Math.round(resources * 0.03));
  const plain = Math.max(0, resources - apis - functions - stateMachines);
  const bodyOperations = Math.max(4, Math.round(resources / 5));
  return { keyedCors, unkeyed, keyedNoCors, functions, stateMachines, plain, bodyOperations };
}

/** A SAM template with `resources` resources (before SAM expands them), the same for the same seed. */
export function generateTemplate(resources, seed = 1) {
  const rnd = prng(seed * 7919 + resources);
  const mix = composition(resources);
  const out = {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: ["CorsKeyPushdown", "AWS::Serverless-2016-10-31"],
    Description: `Benchmark application with ${resources} resources (seed ${seed})`,
    Parameters: {
      Stage: { Type: "String", Default: "prod", AllowedValues: ["dev", "staging", "prod"] },
      LogLevel: { Type: "String", Default: "INFO" },
    },
    Globals: globals(),
    Resources: {},
    Outputs: {},
  };
  const res = out.Resources;

  // Plain resources first, so functions and state machines can reference them.
  const plain = { table: [], queue: [], bucket: [], role: [], topic: [] };
  for (let i = 0; i < mix.plain; i++) {
    const kind = PLAIN_KINDS[i % PLAIN_KINDS.length];
    const id = `${kind[0].toUpperCase()}${kind.slice(1)}${plain[kind].length + 1}`;
    plain[kind].push(id);
    res[id] = PLAIN_BUILDERS[kind](rnd, id, plain);
  }

  // APIs: the keyed ones with Cors from Globals, unkeyed ones, a keyed one that opts out of the global
  // Cors, and the body API. Api events are spread over them and over the implicit API.
  const eventApis = [];
  for (let i = 1; i <= mix.keyedCors; i++) {
    res[`KeyedApi${i}`] = api(rnd, `keyed-${i}`, {});
    eventApis.push(`KeyedApi${i}`, `KeyedApi${i}`);
  }
  for (let i = 1; i <= mix.unkeyed; i++) {
    res[`PublicApi${i}`] = api(rnd, `public-${i}`, { Auth: { ApiKeyRequired: false } });
    eventApis.push(`PublicApi${i}`);
  }
  if (mix.keyedNoCors) {
    res.InternalApi = { ...api(rnd, "internal", {}), IgnoreGlobals: ["Cors"] };
    eventApis.push("InternalApi");
  }
  eventApis.push(null); // the implicit ServerlessRestApi

  const functions = [];
  for (let i = 1; i <= mix.functions; i++) functions.push(`Fn${i}`);
  res.CatalogApi = api(rnd, "catalog", { DefinitionBody: swaggerBody(rnd, mix.bodyOperations, functions) });

  let routeCount = 0;
  for (const [index, id] of functions.entries()) {
    const events = {};
    const eventCount = rnd.int(3, 5);
    for (let e = 1; e <= eventCount; e++) {
      const target = eventApis[(index + e) % eventApis.length];
      routeCount++;
      events[`Api${e}`] = apiEvent(rnd, target, `/${rnd.pick(NOUNS)}/f${index + 1}e${e}`, rnd.pick(METHODS));
    }
    // A health check that opts out of the key, on one keyed API: the case that makes the macro choose
    // SAM's preflight exemption instead of pushing the key down.
    if (index === 1) {
      events.Health = apiEvent(rnd, "KeyedApi1", "/health", "get");
      events.Health.Properties.Auth = { ApiKeyRequired: false };
    }
    if (plain.queue.length > 0 && rnd.chance(0.2)) {
      events.Queue = {
        Type: "SQS",
        Properties: { Queue: { "Fn::GetAtt": [rnd.pick(plain.queue), "Arn"] }, BatchSize: 10 },
      };
    }
    if (rnd.chance(0.15)) {
      events.Nightly = { Type: "Schedule", Properties: { Schedule: "cron(0 3 * * ? *)", Enabled: true } };
    }
    res[id] = fn(rnd, index + 1, events, plain);
  }

  for (let i = 1; i <= mix.stateMachines; i++) {
    const target = eventApis[i % eventApis.length];
    res[`Workflow${i}`] = stateMachine(rnd, i, target, functions, plain);
  }

  const apiIds = Object.keys(res).filter((id) => res[id].Type === "AWS::Serverless::Api");
  for (const id of apiIds) {
    out.Outputs[`${id}Url`] = {
      Description: `Base URL of ${id}`,
      Value: { "Fn::Sub": `https://\${${id}}.execute-api.\${AWS::Region}.amazonaws.com/\${Stage}` },
      Export: { Name: { "Fn::Sub": `\${AWS::StackName}-${id}Url` } },
    };
  }
  for (const id of [...plain.table, ...functions].slice(0, 40)) {
    out.Outputs[`${id}Name`] = { Description: `Name of ${id}`, Value: { Ref: id } };
  }
  return { template: out, routes: routeCount };
}

function globals() {
  return {
    Function: {
      Timeout: 30,
      MemorySize: 512,
      Tracing: "Active",
      Architectures: ["arm64"],
      Environment: {
        Variables: {
          LOG_LEVEL: { Ref: "LogLevel" },
          STAGE: { Ref: "Stage" },
          POWERTOOLS_SERVICE_NAME: "bench",
        },
      },
    },
    Api: {
      TracingEnabled: true,
      EndpointConfiguration: "REGIONAL",
      Auth: { ApiKeyRequired: true, UsagePlan: { CreateUsagePlan: "SHARED" } },
      Cors: {
        AllowMethods: "'GET,POST,PUT,PATCH,DELETE,OPTIONS'",
        AllowHeaders: "'Content-Type,Authorization,X-Api-Key,X-Amz-Date,X-Amz-Security-Token'",
        AllowOrigin: "'https://app.example.com'",
        MaxAge: "'600'",
      },
      MethodSettings: [
        { ResourcePath: "/*", HttpMethod: "*", ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      ],
    },
  };
}

function api(rnd, name, extra) {
  return {
    Type: "AWS::Serverless::Api",
    Properties: {
      Name: { "Fn::Sub": `\${AWS::StackName}-${name}` },
      StageName: { Ref: "Stage" },
      Variables: { backend: name, version: `v${rnd.int(1, 9)}` },
      ...extra,
    },
  };
}

function apiEvent(rnd, restApi, path, method) {
  const properties = { Path: rnd.chance(0.4) ? `${path}/{id}` : path, Method: method };
  if (restApi !== null) properties.RestApiId = { Ref: restApi };
  if (rnd.chance(0.5)) {
    properties.RequestParameters = [
      "method.request.header.X-Request-Id",
      { "method.request.querystring.limit": { Required: false, Caching: true } },
      { "method.request.querystring.nextToken": { Required: false, Caching: false } },
    ];
  }
  return { Type: "Api", Properties: properties };
}

function fn(rnd, n, events, plain) {
  const table = plain.table.length > 0 ? rnd.pick(plain.table) : undefined;
  const queue = plain.queue.length > 0 ? rnd.pick(plain.queue) : undefined;
  const bucket = plain.bucket.length > 0 ? rnd.pick(plain.bucket) : undefined;
  const topic = plain.topic.length > 0 ? rnd.pick(plain.topic) : undefined;
  const variables = {
    FEATURE_FLAGS: "orders,invoices,exports,bulk-import,async-notifications",
    RETRY_LIMIT: String(rnd.int(1, 5)),
    CONFIG_PATH: `/bench/fn${n}/config`,
    PUBLIC_BASE_URL: { "Fn::Sub": "https://api.example.com/${Stage}" },
    IDEMPOTENCY_TTL_SECONDS: String(rnd.int(300, 7200)),
    CACHE_TTL_SECONDS: String(rnd.int(30, 600)),
    MAX_PAGE_SIZE: String(rnd.pick([25, 50, 100])),
    ALLOWED_ORIGINS: "https://app.example.com,https://admin.example.com",
  };
  const statements = [
    {
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
      Resource: { "Fn::Sub": `arn:aws:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/bench/fn${n}/*` },
    },
    {
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: { "Fn::Sub": "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/bench-data" },
    },
    { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
  ];
  /** @type {object[]} */
  const policies = [{ Statement: statements }];
  if (table) {
    variables.TABLE_NAME = { Ref: table };
    variables.TABLE_INDEX = "gsi1";
    policies.push({ DynamoDBCrudPolicy: { TableName: { Ref: table } } });
  }
  if (queue) {
    variables.QUEUE_URL = { Ref: queue };
    policies.push({ SQSSendMessagePolicy: { QueueName: { "Fn::GetAtt": [queue, "QueueName"] } } });
  }
  if (bucket) {
    variables.BUCKET_NAME = { Ref: bucket };
    policies.push({ S3ReadPolicy: { BucketName: { Ref: bucket } } });
  }
  if (topic) {
    variables.TOPIC_ARN = { Ref: topic };
    policies.push({ SNSPublishMessagePolicy: { TopicName: { "Fn::GetAtt": [topic, "TopicName"] } } });
  }
  const runtime = rnd.pick(RUNTIMES);
  const properties = {
    FunctionName: { "Fn::Sub": `\${AWS::StackName}-fn-${n}` },
    Description: `Handles the ${rnd.pick(NOUNS)} endpoints of service ${n}: validation, persistence and events`,
    CodeUri: `s3://bench-artifacts-bucket/functions/fn${n}-${rnd.int(100000, 999999)}.zip`,
    Handler: runtime.startsWith("java") ? `com.example.Fn${n}::handleRequest` : `src/fn${n}/index.handler`,
    Runtime: runtime,
    MemorySize: rnd.pick([256, 512, 1024, 2048]),
    EphemeralStorage: { Size: 1024 },
    Layers: [
      { "Fn::Sub": "arn:aws:lambda:${AWS::Region}:017000801446:layer:AWSLambdaPowertoolsPythonV2:68" },
      { "Fn::Sub": `arn:aws:lambda:\${AWS::Region}:\${AWS::AccountId}:layer:bench-shared:${rnd.int(1, 40)}` },
    ],
    VpcConfig: {
      SecurityGroupIds: [`sg-0${hex(rnd, 16)}`],
      SubnetIds: [`subnet-0${hex(rnd, 16)}`, `subnet-0${hex(rnd, 16)}`, `subnet-0${hex(rnd, 16)}`],
    },
    LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "INFO", SystemLogLevel: "WARN" },
    Environment: { Variables: variables },
    Policies: policies,
    Events: events,
    Tags: { team: rnd.pick(["payments", "catalog", "identity", "platform"]), "cost-center": `cc-${n % 17}` },
  };
  if (queue) properties.DeadLetterQueue = { Type: "SQS", TargetArn: { "Fn::GetAtt": [queue, "Arn"] } };
  return {
    Type: "AWS::Serverless::Function",
    // What `sam build` reads; SAM keeps resource Metadata as it is.
    Metadata: runtime.startsWith("nodejs")
      ? {
          BuildMethod: "esbuild",
          BuildProperties: {
            Minify: true,
            Target: "es2022",
            Sourcemap: true,
            EntryPoints: [`src/fn${n}/index.ts`],
          },
        }
      : { BuildMethod: "makefile" },
    Properties: properties,
  };
}

function hex(rnd, length) {
  let text = "";
  for (let i = 0; i < length; i++) text += "0123456789abcdef"[rnd.int(0, 15)];
  return text;
}

function stateMachine(rnd, n, restApi, functions, plain) {
  const first = rnd.pick(functions);
  const second = rnd.pick(functions);
  const properties = {
    Name: { "Fn::Sub": `\${AWS::StackName}-workflow-${n}` },
    Type: "STANDARD",
    Definition: {
      Comment: `Order workflow ${n}`,
      StartAt: "Validate",
      States: {
        Validate: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "${ValidateFn}", "Payload.$": "$" },
          Retry: [{ ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
          Next: "Choose",
        },
        Choose: {
          Type: "Choice",
          Choices: [{ Variable: "$.Payload.ok", BooleanEquals: true, Next: "Process" }],
          Default: "Failed",
        },
        Process: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "${ProcessFn}", "Payload.$": "$.Payload" },
          Next: "Notify",
        },
        Notify: {
          Type: "Map",
          ItemsPath: "$.Payload.recipients",
          MaxConcurrency: 10,
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Send",
            States: {
              Send: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke",
                Parameters: { FunctionName: "${ProcessFn}", "Payload.$": "$" },
                Retry: [{ ErrorEquals: ["Lambda.TooManyRequestsException"], MaxAttempts: 5, BackoffRate: 2 }],
                End: true,
              },
            },
          },
          End: true,
        },
        Failed: { Type: "Fail", Error: "ValidationFailed", Cause: "The request did not validate" },
      },
    },
    DefinitionSubstitutions: {
      ValidateFn: { "Fn::GetAtt": [first, "Arn"] },
      ProcessFn: { "Fn::GetAtt": [second, "Arn"] },
    },
    Events: {
      Start: {
        Type: "Api",
        Properties: {
          Path: `/workflows/w${n}`,
          Method: "post",
          ...(restApi === null ? {} : { RestApiId: { Ref: restApi } }),
        },
      },
    },
  };
  if (plain.role.length > 0 && n % 2 === 0) properties.Role = { "Fn::GetAtt": [rnd.pick(plain.role), "Arn"] };
  else
    properties.Policies = [
      { LambdaInvokePolicy: { FunctionName: { Ref: first } } },
      { LambdaInvokePolicy: { FunctionName: { Ref: second } } },
    ];
  return { Type: "AWS::Serverless::StateMachine", Properties: properties };
}

/** A Swagger 2.0 body with `operations` operations over the functions, plus a user-written mock preflight. */
function swaggerBody(rnd, operations, functions) {
  const paths = {};
  for (let i = 0; i < operations; i++) {
    const path = `/catalog/${NOUNS[i % NOUNS.length]}/${Math.floor(i / 2)}`;
    const method = i % 2 === 0 ? "get" : "post";
    const target = functions[i % functions.length];
    paths[path] ??= {};
    paths[path][method] = {
      operationId: `op${i}`,
      summary: `Operation ${i} on ${NOUNS[i % NOUNS.length]}`,
      description: `Reads or writes ${NOUNS[i % NOUNS.length]} of the catalog; answers within the integration timeout`,
      tags: [NOUNS[i % NOUNS.length]],
      consumes: ["application/json"],
      produces: ["application/json"],
      parameters: [
        { name: "X-Request-Id", in: "header", required: false, type: "string" },
        ...(method === "post"
          ? [{ name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Item" } }]
          : [
              { name: "limit", in: "query", required: false, type: "integer", minimum: 1, maximum: 100 },
              { name: "nextToken", in: "query", required: false, type: "string" },
            ]),
      ],
      responses: {
        200: {
          description: "OK",
          schema: { $ref: "#/definitions/Item" },
          headers: { "Access-Control-Allow-Origin": { type: "string" }, "X-Request-Id": { type: "string" } },
        },
        400: { description: "Bad request", schema: { $ref: "#/definitions/Error" } },
        429: { description: "Too many requests", schema: { $ref: "#/definitions/Error" } },
      },
      security: [{ api_key: [] }],
      "x-amazon-apigateway-integration": {
        type: "aws_proxy",
        httpMethod: "POST",
        passthroughBehavior: "when_no_match",
        timeoutInMillis: rnd.pick([3000, 10000, 29000]),
        uri: {
          "Fn::Sub": `arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${target}.Arn}/invocations`,
        },
      },
    };
  }
  paths["/catalog/search"] = {
    options: {
      responses: { 200: { description: "preflight" } },
      "x-amazon-apigateway-integration": {
        type: "mock",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
        responses: { default: { statusCode: "200" } },
      },
    },
  };
  return {
    swagger: "2.0",
    info: { title: "Catalog", version: "1.0" },
    securityDefinitions: { api_key: { type: "apiKey", name: "x-api-key", in: "header" } },
    definitions: {
      Item: {
        type: "object",
        required: ["id"],
        properties: { id: { type: "string" }, name: { type: "string" }, price: { type: "number" } },
      },
      Error: { type: "object", properties: { message: { type: "string" } } },
    },
    paths,
  };
}

const PLAIN_BUILDERS = {
  table: (rnd, id) => ({
    Type: "AWS::DynamoDB::Table",
    Properties: {
      TableName: { "Fn::Sub": `\${AWS::StackName}-${id}` },
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
        { AttributeName: "gsi1pk", AttributeType: "S" },
        { AttributeName: "gsi2pk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "gsi1",
          KeySchema: [
            { AttributeName: "gsi1pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
        {
          IndexName: "gsi2",
          KeySchema: [
            { AttributeName: "gsi2pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["status", "updatedAt"] },
        },
      ],
      StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      Tags: [{ Key: "retention", Value: `${rnd.int(30, 365)}d` }],
    },
  }),
  queue: (rnd, id, plain) => ({
    Type: "AWS::SQS::Queue",
    Properties: {
      QueueName: { "Fn::Sub": `\${AWS::StackName}-${id}` },
      VisibilityTimeout: rnd.pick([60, 180, 300]),
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
      // Every queue but the first sends failures to the first, as a shared dead-letter queue.
      ...(plain.queue[0] === id
        ? {}
        : {
            RedrivePolicy: {
              deadLetterTargetArn: { "Fn::GetAtt": [plain.queue[0], "Arn"] },
              maxReceiveCount: 5,
            },
          }),
      Tags: [{ Key: "queue", Value: id }],
    },
  }),
  bucket: (rnd, id) => ({
    Type: "AWS::S3::Bucket",
    DeletionPolicy: "Retain",
    UpdateReplacePolicy: "Retain",
    Properties: {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      VersioningConfiguration: { Status: "Enabled" },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [{ Id: "expire-old", Status: "Enabled", ExpirationInDays: rnd.int(30, 400) }],
      },
      Tags: [{ Key: "bucket", Value: id }],
    },
  }),
  role: (rnd, id, plain) => ({
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: ["states.amazonaws.com", "lambda.amazonaws.com"] },
            Action: "sts:AssumeRole",
          },
        ],
      },
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"],
      Policies: [
        {
          PolicyName: `${id}-access`,
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: "*" },
              {
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                Resource:
                  plain.table.length > 0
                    ? { "Fn::GetAtt": [rnd.pick(plain.table), "Arn"] }
                    : { "Fn::Sub": "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*" },
              },
              {
                Effect: "Allow",
                Action: ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:ListLogDeliveries"],
                Resource: "*",
              },
            ],
          },
        },
        {
          PolicyName: `${id}-observability`,
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: { "Fn::Sub": "arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:/bench/*" },
              },
              {
                Effect: "Allow",
                Action: ["cloudwatch:PutMetricData"],
                Resource: "*",
                Condition: { StringEquals: { "cloudwatch:namespace": "Bench" } },
              },
            ],
          },
        },
      ],
      Tags: [{ Key: "role", Value: id }],
    },
  }),
  topic: (rnd, id) => ({
    Type: "AWS::SNS::Topic",
    Properties: {
      TopicName: { "Fn::Sub": `\${AWS::StackName}-${id}` },
      KmsMasterKeyId: "alias/aws/sns",
      Tags: [{ Key: "fanout", Value: String(rnd.int(1, 9)) }],
    },
  }),
};

// `node bench/generate.mjs 200 [seed]` prints one template, for trying it by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const size = Number(process.argv[2] ?? 500);
  const { template } = generateTemplate(size, Number(process.argv[3] ?? 1));
  process.stdout.write(`${JSON.stringify(template)}\n`);
}

import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { VmRow } from '../entities.ts';
import type { OrganizationRef } from '../../../kernel/federation.ts';
import type { ComputeContext } from '../index.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** RFC 3339 UTC timestamp. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Arbitrary JSON value. */
  JSON: { input: unknown; output: unknown; }
  /** Integer in the IEEE-754 safe range (±9,007,199,254,740,991): money in cents or micro-dollars. */
  SafeInt: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** What the gateway needs to know about an organization before a call. */
export type AiCallContext = {
  __typename?: 'AiCallContext';
  defaultWorkflowId?: Maybe<Scalars['ID']['output']>;
  requestLogging: Scalars['Boolean']['output'];
};

export type AiCallStatus =
  /** The client went away mid-stream; what was consumed is recorded. */
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED';

/** How to reach the AI proxy: an OpenAI-compatible base URL and a Trellis API key. */
export type AiProxyInfo = {
  __typename?: 'AiProxyInfo';
  /** How a client authenticates, in one line. */
  authentication: Scalars['String']['output'];
  baseUrl: Scalars['String']['output'];
  /** Scopes a proxy-scoped API key carries (create one with POST /v1/orgs/{orgId}/api-keys). */
  keyScopes: Array<Scalars['String']['output']>;
  settings: AiProxySettings;
};

/** The AI proxy settings of an organization. */
export type AiProxySettings = {
  __typename?: 'AiProxySettings';
  /** Governance workflow of calls that name none (no X-Workflow-Id, key not bound to a workflow). */
  defaultWorkflowId?: Maybe<Scalars['ID']['output']>;
  logRetentionDays: Scalars['Int']['output'];
  /** Keep prompts and completions of this organization's calls (off by default), for logRetentionDays. */
  requestLogging: Scalars['Boolean']['output'];
};

export type AiProxySettingsInput = {
  /** A workflow id (wf_…); null clears it. */
  defaultWorkflowId?: InputMaybe<Scalars['ID']['input']>;
  /** 1–90 days. */
  logRetentionDays?: InputMaybe<Scalars['Int']['input']>;
  requestLogging?: InputMaybe<Scalars['Boolean']['input']>;
};

/** AI proxy usage over the last `days` UTC days (today included). */
export type AiProxyUsage = {
  __typename?: 'AiProxyUsage';
  byKey: Array<AiUsageByKey>;
  byModel: Array<AiUsageByModel>;
  daily: Array<AiUsageDay>;
  days: Scalars['Int']['output'];
  since: Scalars['DateTime']['output'];
  totals: AiUsageTotals;
};

export type AiSurface =
  | 'CHAT_COMPLETIONS'
  | 'PROVIDERS_EXECUTE'
  | 'RESPONSES';

export type AiUsageByKey = {
  __typename?: 'AiUsageByKey';
  /** Null for calls made with a session. */
  apiKeyId?: Maybe<Scalars['ID']['output']>;
  calls: Scalars['Int']['output'];
  costMicros: Scalars['SafeInt']['output'];
};

export type AiUsageByModel = {
  __typename?: 'AiUsageByModel';
  calls: Scalars['Int']['output'];
  costMicros: Scalars['SafeInt']['output'];
  inputTokens: Scalars['SafeInt']['output'];
  model: Scalars['String']['output'];
  outputTokens: Scalars['SafeInt']['output'];
  provider: Scalars['String']['output'];
};

export type AiUsageDay = {
  __typename?: 'AiUsageDay';
  calls: Scalars['Int']['output'];
  costMicros: Scalars['SafeInt']['output'];
  /** UTC day, YYYY-MM-DD. */
  date: Scalars['String']['output'];
  failedCalls: Scalars['Int']['output'];
  inputTokens: Scalars['SafeInt']['output'];
  outputTokens: Scalars['SafeInt']['output'];
};

export type AiUsageTotals = {
  __typename?: 'AiUsageTotals';
  calls: Scalars['Int']['output'];
  costMicros: Scalars['SafeInt']['output'];
  failedCalls: Scalars['Int']['output'];
  inputTokens: Scalars['SafeInt']['output'];
  outputTokens: Scalars['SafeInt']['output'];
};

export type CreateVmInput = {
  gpuCount?: InputMaybe<Scalars['Int']['input']>;
  gpuModel: Scalars['String']['input'];
  name: Scalars['String']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Internal: handle a batch for one of this subgraph's event consumers; answers { processed, failed }. */
  _consumeEvents?: Maybe<Scalars['JSON']['output']>;
  createVm: Vm;
  /** Records a call the AI gateway made (internal: the signature is the gateway's). True when newly recorded. */
  recordAiCall: Scalars['Boolean']['output'];
  updateAiProxySettings: AiProxySettings;
};


export type Mutation_ConsumeEventsArgs = {
  consumer: Scalars['String']['input'];
  events: Scalars['JSON']['input'];
};


export type MutationCreateVmArgs = {
  input: CreateVmInput;
  orgId: Scalars['ID']['input'];
};


export type MutationRecordAiCallArgs = {
  input: RecordAiCallInput;
  signature: Scalars['String']['input'];
};


export type MutationUpdateAiProxySettingsArgs = {
  input: AiProxySettingsInput;
  orgId: Scalars['ID']['input'];
};

export type Organization = {
  __typename?: 'Organization';
  id: Scalars['ID']['output'];
  /** The organization's VMs, newest first. */
  vms: Array<Vm>;
};

export type Query = {
  __typename?: 'Query';
  aiCallContext: AiCallContext;
  aiProxy: AiProxyInfo;
  /** Usage of the AI proxy per UTC day, with totals and spend by model and by key (1–90 days, default 30). */
  aiProxyUsage: AiProxyUsage;
  vm?: Maybe<Vm>;
};


export type QueryAiCallContextArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryAiProxyArgs = {
  orgId: Scalars['ID']['input'];
};


export type QueryAiProxyUsageArgs = {
  days?: InputMaybe<Scalars['Int']['input']>;
  orgId: Scalars['ID']['input'];
};


export type QueryVmArgs = {
  id: Scalars['ID']['input'];
};

/** One model call, as the AI gateway made it (signed by the gateway). */
export type RecordAiCallInput = {
  apiKeyId?: InputMaybe<Scalars['ID']['input']>;
  /** The gateway's id of the call (aic_…); a record with the same id is stored once. */
  callId: Scalars['String']['input'];
  costMicros: Scalars['SafeInt']['input'];
  errorCode?: InputMaybe<Scalars['String']['input']>;
  estimatedCostMicros: Scalars['SafeInt']['input'];
  executionId?: InputMaybe<Scalars['ID']['input']>;
  inputTokens: Scalars['SafeInt']['input'];
  latencyMs: Scalars['Int']['input'];
  /** Prompt and completion, only when the organization turned request logging on. */
  log?: InputMaybe<Scalars['JSON']['input']>;
  model: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
  outputTokens: Scalars['SafeInt']['input'];
  provider: Scalars['String']['input'];
  status: AiCallStatus;
  stream: Scalars['Boolean']['input'];
  surface: AiSurface;
  timeToFirstTokenMs?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

/** Membership roles, weakest first. */
export type Role =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER'
  | 'VIEWER';

/** A GPU virtual machine. */
export type Vm = {
  __typename?: 'Vm';
  createdAt: Scalars['DateTime']['output'];
  gpuCount: Scalars['Int']['output'];
  gpuModel: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  organization: Organization;
  status: VmStatus;
};

export type VmStatus =
  | 'PROVISIONING'
  | 'RUNNING'
  | 'STOPPED'
  | 'TERMINATED';

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Organization: Organization;
  Vm: Vm;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  Vm:
    ( { __typename: 'Vm' }
    & GraphQLRecursivePick<FederationTypes['Vm'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AiCallContext: ResolverTypeWrapper<Partial<AiCallContext>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
  AiCallStatus: ResolverTypeWrapper<Partial<AiCallStatus>>;
  AiProxyInfo: ResolverTypeWrapper<Partial<AiProxyInfo>>;
  AiProxySettings: ResolverTypeWrapper<Partial<AiProxySettings>>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  AiProxySettingsInput: ResolverTypeWrapper<Partial<AiProxySettingsInput>>;
  AiProxyUsage: ResolverTypeWrapper<Partial<AiProxyUsage>>;
  AiSurface: ResolverTypeWrapper<Partial<AiSurface>>;
  AiUsageByKey: ResolverTypeWrapper<Partial<AiUsageByKey>>;
  AiUsageByModel: ResolverTypeWrapper<Partial<AiUsageByModel>>;
  AiUsageDay: ResolverTypeWrapper<Partial<AiUsageDay>>;
  AiUsageTotals: ResolverTypeWrapper<Partial<AiUsageTotals>>;
  CreateVmInput: ResolverTypeWrapper<Partial<CreateVmInput>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  JSON: ResolverTypeWrapper<Partial<Scalars['JSON']['output']>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordAiCallInput: ResolverTypeWrapper<Partial<RecordAiCallInput>>;
  Role: ResolverTypeWrapper<Partial<Role>>;
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>;
  Vm: ResolverTypeWrapper<VmRow>;
  VmStatus: ResolverTypeWrapper<Partial<VmStatus>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AiCallContext: Partial<AiCallContext>;
  ID: Partial<Scalars['ID']['output']>;
  Boolean: Partial<Scalars['Boolean']['output']>;
  AiProxyInfo: Partial<AiProxyInfo>;
  AiProxySettings: Partial<AiProxySettings>;
  Int: Partial<Scalars['Int']['output']>;
  AiProxySettingsInput: Partial<AiProxySettingsInput>;
  AiProxyUsage: Partial<AiProxyUsage>;
  AiUsageByKey: Partial<AiUsageByKey>;
  AiUsageByModel: Partial<AiUsageByModel>;
  AiUsageDay: Partial<AiUsageDay>;
  AiUsageTotals: Partial<AiUsageTotals>;
  CreateVmInput: Partial<CreateVmInput>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  JSON: Partial<Scalars['JSON']['output']>;
  Mutation: Record<PropertyKey, never>;
  Organization: OrganizationRef;
  Query: Record<PropertyKey, never>;
  RecordAiCallInput: Partial<RecordAiCallInput>;
  SafeInt: Partial<Scalars['SafeInt']['output']>;
  Vm: VmRow;
  String: Partial<Scalars['String']['output']>;
}>;

export type AuthzDirectiveArgs = {
  org?: Maybe<Scalars['String']['input']>;
  permission?: Maybe<Scalars['String']['input']>;
  workflow?: Maybe<Scalars['String']['input']>;
};

export type AuthzDirectiveResolver<Result, Parent, ContextType = ComputeContext, Args = AuthzDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = ComputeContext, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AiCallContextResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiCallContext'] = ResolversParentTypes['AiCallContext']> = ResolversObject<{
  defaultWorkflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  requestLogging?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AiProxyInfoResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiProxyInfo'] = ResolversParentTypes['AiProxyInfo']> = ResolversObject<{
  authentication?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  baseUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  keyScopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  settings?: Resolver<ResolversTypes['AiProxySettings'], ParentType, ContextType>;
}>;

export type AiProxySettingsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiProxySettings'] = ResolversParentTypes['AiProxySettings']> = ResolversObject<{
  defaultWorkflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  logRetentionDays?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  requestLogging?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AiProxyUsageResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiProxyUsage'] = ResolversParentTypes['AiProxyUsage']> = ResolversObject<{
  byKey?: Resolver<Array<ResolversTypes['AiUsageByKey']>, ParentType, ContextType>;
  byModel?: Resolver<Array<ResolversTypes['AiUsageByModel']>, ParentType, ContextType>;
  daily?: Resolver<Array<ResolversTypes['AiUsageDay']>, ParentType, ContextType>;
  days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  since?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  totals?: Resolver<ResolversTypes['AiUsageTotals'], ParentType, ContextType>;
}>;

export type AiUsageByKeyResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiUsageByKey'] = ResolversParentTypes['AiUsageByKey']> = ResolversObject<{
  apiKeyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type AiUsageByModelResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiUsageByModel'] = ResolversParentTypes['AiUsageByModel']> = ResolversObject<{
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type AiUsageDayResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiUsageDay'] = ResolversParentTypes['AiUsageDay']> = ResolversObject<{
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  date?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  failedCalls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export type AiUsageTotalsResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['AiUsageTotals'] = ResolversParentTypes['AiUsageTotals']> = ResolversObject<{
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicros?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  failedCalls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _consumeEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_ConsumeEventsArgs, 'consumer' | 'events'>>;
  createVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationCreateVmArgs, 'input' | 'orgId'>>;
  recordAiCall?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRecordAiCallArgs, 'input' | 'signature'>>;
  updateAiProxySettings?: Resolver<ResolversTypes['AiProxySettings'], ParentType, ContextType, RequireFields<MutationUpdateAiProxySettingsArgs, 'input' | 'orgId'>>;
}>;

export type OrganizationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vms?: Resolver<Array<ResolversTypes['Vm']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  aiCallContext?: Resolver<ResolversTypes['AiCallContext'], ParentType, ContextType, RequireFields<QueryAiCallContextArgs, 'orgId'>>;
  aiProxy?: Resolver<ResolversTypes['AiProxyInfo'], ParentType, ContextType, RequireFields<QueryAiProxyArgs, 'orgId'>>;
  aiProxyUsage?: Resolver<ResolversTypes['AiProxyUsage'], ParentType, ContextType, RequireFields<QueryAiProxyUsageArgs, 'days' | 'orgId'>>;
  vm?: Resolver<Maybe<ResolversTypes['Vm']>, ParentType, ContextType, RequireFields<QueryVmArgs, 'id'>>;
}>;

export interface SafeIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SafeInt'], any> {
  name: 'SafeInt';
}

export type VmResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Vm'] = ResolversParentTypes['Vm'], FederationReferenceType extends FederationReferenceTypes['Vm'] = FederationReferenceTypes['Vm']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Vm']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  gpuCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  gpuModel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['VmStatus'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = ComputeContext> = ResolversObject<{
  AiCallContext?: AiCallContextResolvers<ContextType>;
  AiProxyInfo?: AiProxyInfoResolvers<ContextType>;
  AiProxySettings?: AiProxySettingsResolvers<ContextType>;
  AiProxyUsage?: AiProxyUsageResolvers<ContextType>;
  AiUsageByKey?: AiUsageByKeyResolvers<ContextType>;
  AiUsageByModel?: AiUsageByModelResolvers<ContextType>;
  AiUsageDay?: AiUsageDayResolvers<ContextType>;
  AiUsageTotals?: AiUsageTotalsResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SafeInt?: GraphQLScalarType;
  Vm?: VmResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = ComputeContext> = ResolversObject<{
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;

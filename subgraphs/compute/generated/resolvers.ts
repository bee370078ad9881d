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
};


export type Mutation_ConsumeEventsArgs = {
  consumer: Scalars['String']['input'];
  events: Scalars['JSON']['input'];
};


export type MutationCreateVmArgs = {
  input: CreateVmInput;
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
  vm?: Maybe<Vm>;
};


export type QueryVmArgs = {
  id: Scalars['ID']['input'];
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
  CreateVmInput: ResolverTypeWrapper<Partial<CreateVmInput>>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  JSON: ResolverTypeWrapper<Partial<Scalars['JSON']['output']>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  Organization: ResolverTypeWrapper<OrganizationRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Role: ResolverTypeWrapper<Partial<Role>>;
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>;
  Vm: ResolverTypeWrapper<VmRow>;
  VmStatus: ResolverTypeWrapper<Partial<VmStatus>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CreateVmInput: Partial<CreateVmInput>;
  Int: Partial<Scalars['Int']['output']>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  JSON: Partial<Scalars['JSON']['output']>;
  Mutation: Record<PropertyKey, never>;
  ID: Partial<Scalars['ID']['output']>;
  Organization: OrganizationRef;
  Query: Record<PropertyKey, never>;
  SafeInt: Partial<Scalars['SafeInt']['output']>;
  Vm: VmRow;
  String: Partial<Scalars['String']['output']>;
  Boolean: Partial<Scalars['Boolean']['output']>;
}>;

export type AuthzDirectiveArgs = {
  org?: Maybe<Scalars['String']['input']>;
  permission?: Maybe<Scalars['String']['input']>;
  workflow?: Maybe<Scalars['String']['input']>;
};

export type AuthzDirectiveResolver<Result, Parent, ContextType = ComputeContext, Args = AuthzDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = ComputeContext, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  _consumeEvents?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Mutation_ConsumeEventsArgs, 'consumer' | 'events'>>;
  createVm?: Resolver<ResolversTypes['Vm'], ParentType, ContextType, RequireFields<MutationCreateVmArgs, 'input' | 'orgId'>>;
}>;

export type OrganizationResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  vms?: Resolver<Array<ResolversTypes['Vm']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = ComputeContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
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

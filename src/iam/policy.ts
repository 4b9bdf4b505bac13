// An IAM policy document as AWS accepts it ("IAM JSON policy elements reference"): the shape the
// evaluator reads. Policies read from AWS (a bucket policy) are not validated against it first, so
// the evaluator tolerates what a looser writer may put there (one value or a list, booleans).

type OneOrMore<T> = T | T[];

export type PrincipalSpec =
  | '*'
  | { AWS?: OneOrMore<string>; Service?: OneOrMore<string>; Federated?: OneOrMore<string>; CanonicalUser?: OneOrMore<string> };

/** Operator → condition key → value(s). */
export type PolicyCondition = Record<string, Record<string, string | boolean | (string | boolean)[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: OneOrMore<string>;
  NotAction?: OneOrMore<string>;
  Resource?: OneOrMore<string>;
  NotResource?: OneOrMore<string>;
  Principal?: PrincipalSpec;
  NotPrincipal?: PrincipalSpec;
  Condition?: PolicyCondition;
}

export interface PolicyDocument {
  Version?: '2012-10-17' | '2008-10-17';
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

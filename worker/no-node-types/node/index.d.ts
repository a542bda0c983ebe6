// Stands in for @types/node in the Worker's typecheck (worker/tsconfig.json "typeRoots"), so Node's
// globals (process, Buffer, require) do not typecheck in Worker code. @libsql/client's declaration
// files reference Node's types but use none of them. Config comes from c.env, never process.env.
export {};

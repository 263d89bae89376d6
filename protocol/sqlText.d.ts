// Types `import text from './x.sql'`: the bundler (esbuild's text loader) and, under tsx, the require
// hook (scripts/sqlText.cjs) both turn a .sql file into its text.
declare module '*.sql' {
  const text: string;
  export default text;
}

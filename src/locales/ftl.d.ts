// Fluent files are imported `with { type: 'text' }`: their text is embedded in the compiled binary.
declare module '*.ftl' {
  const text: string;
  export default text;
}

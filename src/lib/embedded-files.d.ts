// Imported `with { type: 'file' }`: the value is a path, and `bun build --compile` embeds the
// file in the binary (the path then points into the binary's own file system).
declare module '@resvg/resvg-wasm/index_bg.wasm' {
  const path: string;
  export default path;
}
declare module '@expo-google-fonts/roboto/400Regular/Roboto_400Regular.ttf' {
  const path: string;
  export default path;
}
declare module '@expo-google-fonts/roboto/700Bold/Roboto_700Bold.ttf' {
  const path: string;
  export default path;
}

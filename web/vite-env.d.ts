// Vite's asset imports used by the page.
declare module "*?url" {
  const url: string;
  export default url;
}

module.exports = async function globalTeardown() {
  const instance = globalThis.__LAC_PG__
  if (instance) {
    await instance.stop()
    globalThis.__LAC_PG__ = undefined
  }
}

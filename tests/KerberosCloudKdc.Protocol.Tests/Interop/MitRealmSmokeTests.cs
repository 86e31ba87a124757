namespace KerberosCloudKdc.Protocol.Tests.Interop;

public sealed class MitRealmSmokeTests
{
    [Fact]
    public async Task Kinit_with_a_password_gets_a_tgt_from_the_fixture_kdc()
    {
        await using var realm = await MitRealm.StartAsync();
        await realm.AddPrincipalAsync("alice", "correct horse");

        var kinit = await realm.RunAsync("kinit", ["alice@" + realm.Realm], stdin: "correct horse\n");
        Assert.True(kinit.ExitCode == 0, kinit.Output);

        var klist = await realm.RunAsync("klist", ["-c", "FILE:" + realm.CcachePath]);
        Assert.True(klist.ExitCode == 0, klist.Output);
        Assert.Contains("Default principal: alice@EXAMPLE.TEST", klist.StdOut, StringComparison.Ordinal);
        Assert.Contains("krbtgt/EXAMPLE.TEST@EXAMPLE.TEST", klist.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kinit_with_a_wrong_password_fails()
    {
        await using var realm = await MitRealm.StartAsync();
        await realm.AddPrincipalAsync("bob", "right");

        var kinit = await realm.RunAsync("kinit", ["bob"], stdin: "wrong\n");

        Assert.NotEqual(0, kinit.ExitCode);
        Assert.False(File.Exists(realm.CcachePath));
    }

    [Fact]
    public async Task Two_realms_run_side_by_side_and_dispose_removes_the_directory()
    {
        string directory;
        await using (var first = await MitRealm.StartAsync())
        await using (var second = await MitRealm.StartAsync("OTHER.TEST"))
        {
            Assert.NotEqual(first.KdcPort, second.KdcPort);
            Assert.NotEqual(first.Directory, second.Directory);
            await second.AddPrincipalAsync("carol", "pw");
            var kinit = await second.RunAsync("kinit", ["carol"], stdin: "pw\n");
            Assert.True(kinit.ExitCode == 0, kinit.Output);
            directory = first.Directory;
        }

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void RequireInstalled_fails_with_the_install_hint()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MitTools.RequireInstalled("no-such-mit-tool"));
        Assert.Contains("install krb5-user krb5-kdc", error.Message, StringComparison.Ordinal);
    }
}

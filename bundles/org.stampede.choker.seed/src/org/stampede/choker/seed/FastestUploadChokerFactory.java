package org.stampede.choker.seed;

import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.stampede.api.Choker;
import org.stampede.api.ChokerFactory;
import org.stampede.api.StrategyDescription;
import org.stampede.api.StrategyKind;
import org.stampede.api.StrategyName;
import org.stampede.api.TorrentView;
import org.stampede.api.util.OptimisticUnchoke;

/** A seeding choker by upload speed: one {@link FastestUploadChoker} per torrent. Not the default. */
@Component(service = ChokerFactory.class)
@StrategyName("fastest-upload")
@StrategyKind(StrategyKind.SEED_CHOKER)
@StrategyDescription("While seeding, unchoke the peers we upload to fastest, plus one optimistic unchoke"
        + " (Cohen 2003; libtorrent fastest_upload)")
public final class FastestUploadChokerFactory implements ChokerFactory {
    @Override
    public Choker create(TorrentView torrent) {
        return new FastestUploadChoker(new OptimisticUnchoke(new SplittableRandom(torrent.randomSeed())));
    }
}
